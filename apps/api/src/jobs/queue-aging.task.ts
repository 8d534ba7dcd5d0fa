import { Injectable } from '@nestjs/common';
import { QueueAging } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import type { HousekeepingTask } from '../tasks/housekeeping-task';

/** Promotes long-waiting jobs, checking ten times per QUEUE_AGING_SECONDS (at least every second); an advisory lock makes one instance do it. */
@Injectable()
export class QueueAgingTask implements HousekeepingTask {
  readonly name = 'queue-aging';

  constructor(
    private readonly aging: QueueAging,
    private readonly config: AppConfig,
  ) {}

  everyMs(): number {
    return Math.max(1000, (this.config.queueAgingSeconds * 1000) / 10);
  }

  run(): Promise<number> {
    return this.aging.promoteOlderThan(this.config.queueAgingSeconds);
  }
}
