import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { WorkersModule } from '../workers/workers.module';
import { HealthController } from './health.controller';
import { RedisHealthIndicator } from './redis.health';
import { WorkersHealthIndicator } from './workers.health';

@Module({
  imports: [TerminusModule, WorkersModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, WorkersHealthIndicator],
})
export class HealthModule {}
