import { Module } from '@nestjs/common';
import { InferenceModule } from '@atelier/inference';
import { JobsModule } from '@atelier/jobs';
import { ALL_MIGRATIONS } from '@atelier/migrations';
import { AppConfig, DatabaseModule, LoggingModule, PlatformConfigModule, RedisModule } from '@atelier/platform';
import { StorageModule } from '@atelier/storage';
import { DetectFacesHandler } from './handlers/detect-faces.handler';
import { DetectLinesHandler } from './handlers/detect-lines.handler';
import { Img2ImgHandler, Txt2ImgHandler } from './handlers/generation.handlers';
import { CropHandler, FilterHandler, ResizeHandler } from './handlers/image-operation.handlers';
import { JOB_HANDLERS } from './handlers/job-handler';
import { OcrHandler } from './handlers/ocr.handler';
import { UpscaleHandler } from './handlers/upscale.handler';
import { WorkerControlController } from './control/worker-control.controller';
import { WorkerHeartbeatPublisher } from './heartbeat/worker-heartbeat.publisher';
import { WorkerIdentity } from './heartbeat/worker-identity';
import { WorkerMetrics } from './metrics/worker-metrics';
import { CanceledJobs } from './runner/canceled-jobs';
import { JobRunner } from './runner/job-runner';

const HANDLERS = [ResizeHandler, CropHandler, FilterHandler, DetectFacesHandler, UpscaleHandler, DetectLinesHandler, OcrHandler, Txt2ImgHandler, Img2ImgHandler];

@Module({
  imports: [
    PlatformConfigModule.forRoot(),
    LoggingModule,
    RedisModule,
    DatabaseModule.forRoot({ migrations: ALL_MIGRATIONS }),
    JobsModule,
    StorageModule,
    InferenceModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        modelsDir: config.modelsDir,
        manifestsDir: config.modelManifestsDir,
        executionProviders: config.executionProviders,
        sessionTuning: config.sessionTuning,
        generationMaxBatch: config.generationMaxBatch,
        generationBatchWaitMs: config.generationBatchWaitMs,
        modelCache: config.modelCache,
        upscaleModel: config.upscaleModel,
        upscaleTileSize: config.upscaleTileSize,
      }),
    }),
  ],
  controllers: [WorkerControlController],
  providers: [
    ...HANDLERS,
    { provide: JOB_HANDLERS, inject: HANDLERS, useFactory: (...handlers: unknown[]) => handlers },
    JobRunner,
    CanceledJobs,
    WorkerMetrics,
    WorkerIdentity,
    WorkerHeartbeatPublisher,
  ],
})
export class WorkerModule {}
