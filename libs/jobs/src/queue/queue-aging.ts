import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTryAdvisoryLock } from '@atelier/platform';
import { MAX_PLAN_PRIORITY, bullPriority } from '../submission/plan-limits';
import { JobsRepository } from '../jobs.repository';
import { LaneQueues } from './lane-queues';

const AGING_LOCK_KEY = 0x61_67_69_6e_67n; // "aging"

/**
 * Aging against starvation: a job that has waited longer than the threshold is promoted
 * to the highest priority, in Bull (re-added under the same id) and in its row (so
 * `queuePosition` agrees). Bull 4 cannot change a waiting job's priority in place.
 */
@Injectable()
export class QueueAging {
  private readonly logger = new Logger(QueueAging.name);

  constructor(
    private readonly queues: LaneQueues,
    private readonly jobs: JobsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Returns how many jobs were promoted. Safe on several instances: one runs at a time. */
  async promoteOlderThan(seconds: number): Promise<number> {
    return withTryAdvisoryLock(this.dataSource, AGING_LOCK_KEY, 0, async (em) => {
      const stale = await this.jobs.waitingLongerThan(em, seconds, MAX_PLAN_PRIORITY, 100);
      let promoted = 0;
      for (const { id, type } of stale) {
        const queue = this.queues.forType(type);
        const job = await queue.getJob(id);
        if (!job || !(await job.isWaiting())) continue;
        const options = { ...job.opts, priority: bullPriority(MAX_PLAN_PRIORITY) };
        await job.remove();
        await queue.add(job.data, options);
        await this.jobs.promote(em, id, MAX_PLAN_PRIORITY);
        promoted++;
      }
      if (promoted) this.logger.log({ promoted }, 'aged waiting jobs to the front priority');
      return promoted;
    });
  }
}
