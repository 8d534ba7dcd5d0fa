import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTryAdvisoryLock } from '@atelier/platform';
import { bullJobOptions } from './bull-job-options';
import { JobsRepository } from '../jobs.repository';
import { LaneQueues } from './lane-queues';

const RECONCILE_LOCK_KEY = 0x72_65_63_6f_6e_63_69_6cn; // "reconcil"

/**
 * The database is the source of truth; Bull is a delivery mechanism. A job row that is
 * unfinished but has no Bull entry (Redis restarted without persistence, or the API died
 * between commit and enqueue) is put back on its queue under the same id.
 */
@Injectable()
export class QueueReconciler {
  private readonly logger = new Logger(QueueReconciler.name);

  constructor(
    private readonly queues: LaneQueues,
    private readonly jobs: JobsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Re-enqueues unfinished jobs older than `graceSeconds` that Bull no longer has; returns how many. */
  async reconcile(graceSeconds: number): Promise<number> {
    if (!this.queues.ready()) return 0;
    return withTryAdvisoryLock(this.dataSource, RECONCILE_LOCK_KEY, 0, async (em) => {
      const rows = await this.jobs.unfinishedOlderThan(em, graceSeconds, 500);
      let restored = 0;
      for (const row of rows) {
        const queue = this.queues.forType(row.type);
        if (await queue.getJob(row.id)) continue;
        await queue.add({ jobId: row.id, ownerId: row.ownerId }, bullJobOptions(row.id, row.type, row.priority));
        restored++;
      }
      if (restored) this.logger.warn({ restored }, 'unfinished jobs missing from the queue were re-enqueued');
      return restored;
    });
  }
}
