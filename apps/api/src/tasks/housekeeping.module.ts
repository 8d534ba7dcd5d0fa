import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from '@atelier/auth';
import { BillingModule } from '@atelier/billing';
import { JobsModule } from '@atelier/jobs';
import { StorageModule } from '@atelier/storage';
import { MonthlyGrantsTask } from '../billing/monthly-grants.task';
import { ImagePurgeTask } from '../images/image-purge.task';
import { JobRetentionTask } from '../jobs/job-retention.task';
import { QueueAgingTask } from '../jobs/queue-aging.task';
import { QueueReconcileTask } from '../jobs/queue-reconcile.task';
import { HOUSEKEEPING_TASKS } from './housekeeping-task';
import { HousekeepingScheduler } from './housekeeping.scheduler';

const TASKS = [MonthlyGrantsTask, QueueAgingTask, JobRetentionTask, QueueReconcileTask, ImagePurgeTask];

/** The API's periodic jobs (every instance runs them; each is safe to run on several). */
@Module({
  imports: [ScheduleModule.forRoot(), AuthModule, BillingModule, JobsModule, StorageModule],
  providers: [...TASKS, { provide: HOUSEKEEPING_TASKS, inject: TASKS, useFactory: (...tasks: unknown[]) => tasks }, HousekeepingScheduler],
})
export class HousekeepingModule {}
