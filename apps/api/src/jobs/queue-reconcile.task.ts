import { Injectable } from '@nestjs/common';
import { QueueReconciler } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import type { HousekeepingTask } from '../tasks/housekeeping-task';

/** Puts back on the queue what Redis lost, checking twice per QUEUE_RECONCILE_SECONDS; an advisory lock makes one instance do it. */
@Injectable()
export class QueueReconcileTask implements HousekeepingTask {
  readonly name = 'queue-reconcile';

  constructor(
    private readonly reconciler: QueueReconciler,
    private readonly config: AppConfig,
  ) {}

  everyMs(): number {
    return Math.max(1000, (this.config.queueReconcileSeconds * 1000) / 2);
  }

  run(): Promise<number> {
    return this.reconciler.reconcile(this.config.queueReconcileSeconds);
  }
}
