import { type DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { JobsModule } from '@atelier/jobs';
import { ModelsModule } from '@atelier/models';
import { AppConfig } from '@atelier/platform';
import { StorageModule } from '@atelier/storage';
import { StorageQuotasModule } from '../images/storage-quotas';
import { OpenAiImageJobs } from './image-jobs';
import { OpenAiImagesController } from './openai-images.controller';
import { OpenAiModelsController } from './openai-models.controller';

/**
 * The OpenAI Images-compatible surface under /openai/v1: a translation over the job path. It
 * owns no tables and no state; a request is a job like any other.
 */
@Module({})
export class OpenAiModule {
  /** `jobSubmission`: the app's own JobSubmissionModule instance, so there is one SubmitJob. */
  static register(jobSubmission: DynamicModule): DynamicModule {
    return {
      module: OpenAiModule,
      imports: [
        jobSubmission,
        JobsModule,
        StorageModule,
        StorageQuotasModule,
        ModelsModule,
        // Edits: up to 16 images (refused past one with a clear answer) and a mask, checked by content once received.
        MulterModule.registerAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({ limits: { fileSize: config.uploadMaxBytes, files: 17, fields: 50 } }),
        }),
      ],
      controllers: [OpenAiImagesController, OpenAiModelsController],
      providers: [OpenAiImageJobs],
    };
  }
}
