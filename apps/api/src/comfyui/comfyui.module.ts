import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuthModule } from '@atelier/auth';
import { JobsModule } from '@atelier/jobs';
import { ModelsModule } from '@atelier/models';
import { AppConfig } from '@atelier/platform';
import { StorageModule } from '@atelier/storage';
import { StorageQuotasModule } from '../images/storage-quotas';
import { WorkersModule } from '../workers/workers.module';
import { ComfyCatalogController } from './comfy-catalog.controller';
import { ComfyCredentialsMiddleware } from './comfy-credentials.middleware';
import { ComfyEventRelay } from './comfy-event-relay';
import { ComfyFilesController } from './comfy-files.controller';
import { ComfyHistoryController } from './comfy-history.controller';
import { ComfyJobsController } from './comfy-jobs.controller';
import { ComfyNodes } from './comfy-nodes';
import { ComfyPromptController } from './comfy-prompt.controller';
import { ComfyPromptQueue } from './comfy-prompt-queue';
import { ComfyPromptsRepository } from './comfy-prompts.repository';
import { ComfySockets } from './comfy-sockets';
import { ComfyWebSocketServer } from './comfy-websocket.server';

const CONTROLLERS = [ComfyPromptController, ComfyHistoryController, ComfyFilesController, ComfyCatalogController, ComfyJobsController];

/**
 * The ComfyUI-compatible surface: ComfyUI's HTTP routes and raw WebSocket, translated to and from
 * Atelier's one job path (a prompt is a `workflow` job). It owns only what the protocol needs
 * beyond the job: the comfy_prompts rows and the sockets.
 */
@Module({})
export class ComfyUiModule implements NestModule {
  /** `jobSubmission`: the app's own JobSubmissionModule instance, so there is one SubmitJob. */
  static register(jobSubmission: DynamicModule): DynamicModule {
    return {
      module: ComfyUiModule,
      imports: [
        jobSubmission,
        AuthModule,
        JobsModule,
        ModelsModule,
        StorageModule,
        StorageQuotasModule,
        WorkersModule,
        MulterModule.registerAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({ limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 10 } }),
        }),
      ],
      controllers: CONTROLLERS,
      providers: [ComfyPromptsRepository, ComfyNodes, ComfyPromptQueue, ComfySockets, ComfyEventRelay, ComfyWebSocketServer],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ComfyCredentialsMiddleware).forRoutes(...CONTROLLERS);
  }
}
