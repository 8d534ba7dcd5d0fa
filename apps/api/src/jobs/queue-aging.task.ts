import { Injectable } from '@nestjs/common';
import { QueueAging } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import { IntervalTask } from '../tasks/interval-task';

/** Promotes long-waiting jobs, checking ten times per aging threshold (at least every second). */
@Injectable()
export class QueueAgingTask extends IntervalTask {
  constructor(
    private readonly aging: QueueAging,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return Math.max(1000, (this.config.queueAgingSeconds * 1000) / 10);
  }

  protected runOnce(): Promise<number> {
    return this.aging.promoteOlderThan(this.config.queueAgingSeconds);
  }
}
