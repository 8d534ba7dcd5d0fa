import { Injectable } from '@nestjs/common';
import { QueueReconciler } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import { IntervalTask } from '../tasks/interval-task';

/** Puts back on the queue what Redis lost, checking twice per grace period. */
@Injectable()
export class QueueReconcileTask extends IntervalTask {
  constructor(
    private readonly reconciler: QueueReconciler,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return Math.max(1000, (this.config.queueReconcileSeconds * 1000) / 2);
  }

  protected runOnce(): Promise<number> {
    return this.reconciler.reconcile(this.config.queueReconcileSeconds);
  }
}
