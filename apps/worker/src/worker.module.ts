import { Module } from '@nestjs/common';
import { InferenceModule } from '@atelier/inference';
import { JobsModule } from '@atelier/jobs';
import { ALL_MIGRATIONS } from '@atelier/migrations';
import { AppConfig, DatabaseModule, LoggingModule, PlatformConfigModule, RedisModule } from '@atelier/platform';
import { StorageModule } from '@atelier/storage';
import { JOB_HANDLERS } from './handlers/job-handler';
import { JOB_HANDLER_CLASSES } from './handlers/job-handler-classes';
import { WorkerControlController } from './control/worker-control.controller';
import { WorkerHeartbeatPublisher } from './heartbeat/worker-heartbeat.publisher';
import { WorkerIdentity } from './heartbeat/worker-identity';
import { WorkerHealth } from './health/worker-health';
import { WorkerMetrics } from './metrics/worker-metrics';
import { CanceledJobs } from './runner/canceled-jobs';
import { JobRunner } from './runner/job-runner';
import { NodeResultCache } from './workflow/node-result-cache';
import { WorkerNodeRuntimes } from './workflow/worker-node-runtime';

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
    ...JOB_HANDLER_CLASSES,
    { provide: JOB_HANDLERS, inject: JOB_HANDLER_CLASSES, useFactory: (...handlers: unknown[]) => handlers },
    JobRunner,
    NodeResultCache,
    WorkerNodeRuntimes,
    CanceledJobs,
    WorkerMetrics,
    WorkerHealth,
    WorkerIdentity,
    WorkerHeartbeatPublisher,
  ],
})
export class WorkerModule {}
