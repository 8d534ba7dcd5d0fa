import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AuthModule } from '@atelier/auth';
import { BillingModule } from '@atelier/billing';
import { JobSubmissionModule, JobsModule } from '@atelier/jobs';
import { ModelsModule } from '@atelier/models';
import { StorageModule } from '@atelier/storage';
import { ALL_MIGRATIONS } from '@atelier/migrations';
import { DatabaseModule, LoggingModule, PlatformConfigModule, RedisModule } from '@atelier/platform';
import { AdminController } from './admin/admin.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuthController } from './auth/auth.controller';
import { OidcController } from './auth/oidc.controller';
import { BillingController } from './billing/billing.controller';
import { ComfyUiModule } from './comfyui/comfyui.module';
import { EventsGateway } from './events/events.gateway';
import { HealthModule } from './health/health.module';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { DeprecationHeadersInterceptor } from './http/deprecation/deprecated-route';
import { ApiThrottlingModule } from './http/throttling/api-throttling.module';
import { apiValidationPipe } from './http/validation.pipe';
import { ImagesHttpModule } from './images/images-http.module';
import { JobsController } from './jobs/jobs.controller';
import { MetricsModule } from './metrics/metrics.module';
import { ModelsController } from './models/models.controller';
import { OpenAiModule } from './openai/openai.module';
import { JobTypesController } from './jobs/job-types.controller';
import { PromptRenderer } from './prompts/prompt-renderer';
import { HousekeepingModule } from './tasks/housekeeping.module';
import { TemplatesModule } from './templates/templates.module';
import { WebhooksController } from './webhooks/webhooks.controller';
import { NodesController } from './workflows/nodes.controller';
import { WorkersModule } from './workers/workers.module';

/** One instance, shared with the OpenAI and ComfyUI surfaces: one SubmitJob in the app. */
const jobSubmission = JobSubmissionModule.register({ imports: [TemplatesModule], templatePrompts: PromptRenderer });

@Module({
  imports: [
    PlatformConfigModule.forRoot(),
    LoggingModule,
    RedisModule,
    DatabaseModule.forRoot({ migrations: ALL_MIGRATIONS }),
    AuthModule,
    // After AuthModule: its guard runs first, so the limit is keyed by the signed-in user.
    ApiThrottlingModule,
    BillingModule,
    JobsModule,
    jobSubmission,
    ModelsModule,
    StorageModule,
    ImagesHttpModule,
    MetricsModule,
    TemplatesModule,
    WorkersModule,
    HealthModule,
    HousekeepingModule,
    OpenAiModule.register(jobSubmission),
    ComfyUiModule.register(jobSubmission),
  ],
  controllers: [AuthController, OidcController, ApiKeysController, JobsController, JobTypesController, NodesController, BillingController, AdminController, WebhooksController, ModelsController],
  providers: [
    EventsGateway,
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useValue: apiValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: DeprecationHeadersInterceptor },
  ],
})
export class AppModule {}
