import { Module } from '@nestjs/common';
import { JobsModule } from '@atelier/jobs';
import { ModelsModule } from '@atelier/models';
import { WorkerAdminController } from './worker-admin.controller';
import { WorkerHeartbeats } from './worker-heartbeats';

/** What the API knows of the workers (their heartbeats, the models they may serve) and the admin routes that steer them. */
@Module({
  imports: [JobsModule, ModelsModule],
  controllers: [WorkerAdminController],
  providers: [WorkerHeartbeats],
  exports: [WorkerHeartbeats],
})
export class WorkersModule {}
