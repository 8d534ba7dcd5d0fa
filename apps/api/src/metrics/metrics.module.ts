import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { JobsModule } from '@atelier/jobs';
import { ApiMetrics } from './api-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [JobsModule],
  providers: [ApiMetrics],
  controllers: [MetricsController],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
