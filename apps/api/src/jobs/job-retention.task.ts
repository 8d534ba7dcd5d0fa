import { Injectable } from '@nestjs/common';
import { JobRetention } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import { IntervalTask } from '../tasks/interval-task';

/** Hourly: purges finished jobs past retention and expired Idempotency-Keys. */
@Injectable()
export class JobRetentionTask extends IntervalTask {
  constructor(
    private readonly retention: JobRetention,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return 3600_000;
  }

  protected runOnce(): Promise<unknown> {
    return this.retention.purge(this.config.jobRetentionDays);
  }
}
