import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTryAdvisoryLock } from '@atelier/platform';
import type { JobLane } from '../types/job-type-definition';
import type { JobType } from '../types/job-types';
import { bullJobOptions } from './bull-job-options';
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
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Re-enqueues unfinished jobs older than `graceSeconds` that Bull no longer has; returns how many. */
  async reconcile(graceSeconds: number): Promise<number> {
    if (!this.queues.ready()) return 0;
    return withTryAdvisoryLock(this.dataSource, RECONCILE_LOCK_KEY, 0, async (em) => {
      const rows = (await em.query(
        `SELECT id, owner_id, lane, type, priority FROM jobs
         WHERE status IN ('queued', 'running') AND created_at < now() - make_interval(secs => $1)
         ORDER BY created_at LIMIT 500`,
        [graceSeconds],
      )) as Array<{ id: string; owner_id: string; lane: JobLane; type: JobType; priority: number }>;
      let restored = 0;
      for (const row of rows) {
        const queue = this.queues.of(row.lane);
        if (await queue.getJob(row.id)) continue;
        await queue.add({ jobId: row.id, ownerId: row.owner_id }, bullJobOptions(row.id, row.type, row.priority));
        restored++;
      }
      if (restored) this.logger.warn({ restored }, 'unfinished jobs missing from the queue were re-enqueued');
      return restored;
    });
  }
}
