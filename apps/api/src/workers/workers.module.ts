import { Module } from '@nestjs/common';
import { JobsModule } from '@atelier/jobs';
import { ModelCatalog } from '../models/model-catalog';
import { WorkerAdminController } from './worker-admin.controller';
import { WorkerHeartbeats } from './worker-heartbeats';

/** What the API knows of the workers (their heartbeats, the models they may serve) and the admin routes that steer them. */
@Module({
  imports: [JobsModule],
  controllers: [WorkerAdminController],
  providers: [WorkerHeartbeats, ModelCatalog],
  exports: [WorkerHeartbeats, ModelCatalog],
})
export class WorkersModule {}
