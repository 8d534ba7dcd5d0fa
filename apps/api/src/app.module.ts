import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from '@atelier/auth';
import { BillingModule } from '@atelier/billing';
import { JobSubmissionModule, JobsModule } from '@atelier/jobs';
import { ModelsModule } from '@atelier/models';
import { ALL_MIGRATIONS } from '@atelier/migrations';
import { DatabaseModule, LoggingModule, PlatformConfigModule } from '@atelier/platform';
import { AdminController } from './admin/admin.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuthController } from './auth/auth.controller';
import { BillingController } from './billing/billing.controller';
import { MonthlyGrantsTask } from './billing/monthly-grants.task';
import { EventsGateway } from './events/events.gateway';
import { HealthController } from './health/health.controller';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { apiValidationPipe } from './http/validation.pipe';
import { ImagesHttpModule } from './images/images-http.module';
import { JobsController } from './jobs/jobs.controller';
import { MetricsModule } from './metrics/metrics.module';
import { ModelsController } from './models/models.controller';
import { WorkerHeartbeats } from './models/worker-heartbeats';
import { JobRetentionTask } from './jobs/job-retention.task';
import { QueueAgingTask } from './jobs/queue-aging.task';
import { JobTypesController } from './jobs/job-types.controller';
import { PromptRenderer } from './prompts/prompt-renderer';
import { QueueReconcileTask } from './jobs/queue-reconcile.task';
import { TemplatesModule } from './templates/templates.module';
import { WebhooksController } from './webhooks/webhooks.controller';

@Module({
  imports: [
    PlatformConfigModule.forRoot(),
    LoggingModule,
    DatabaseModule.forRoot({ migrations: ALL_MIGRATIONS }),
    AuthModule,
    BillingModule,
    JobsModule,
    JobSubmissionModule.register({ imports: [TemplatesModule], templatePrompts: PromptRenderer }),
    ModelsModule,
    ImagesHttpModule,
    MetricsModule,
    TemplatesModule,
  ],
  controllers: [AuthController, ApiKeysController, JobsController, JobTypesController, BillingController, AdminController, WebhooksController, ModelsController, HealthController],
  providers: [
    EventsGateway,
    WorkerHeartbeats,
    MonthlyGrantsTask,
    QueueAgingTask,
    JobRetentionTask,
    QueueReconcileTask,
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useValue: apiValidationPipe },
  ],
})
export class AppModule {}
