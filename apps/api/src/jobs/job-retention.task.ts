import { Injectable } from '@nestjs/common';
import { JobRetention } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import type { HousekeepingTask } from '../tasks/housekeeping-task';

/** Every JOB_RETENTION_INTERVAL_SECONDS (hourly): purges finished jobs past retention and expired Idempotency-Keys (idempotent deletes). */
@Injectable()
export class JobRetentionTask implements HousekeepingTask {
  readonly name = 'job-retention';

  constructor(
    private readonly retention: JobRetention,
    private readonly config: AppConfig,
  ) {}

  everyMs(): number {
    return this.config.jobRetentionIntervalMs;
  }

  run(): Promise<unknown> {
    return this.retention.purge(this.config.jobRetentionDays);
  }
}
