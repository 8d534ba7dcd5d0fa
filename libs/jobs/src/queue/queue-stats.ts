import { Injectable } from '@nestjs/common';
import type { JobCounts, Queue } from 'bull';
import { JobsRepository } from '../jobs.repository';
import { LaneQueues } from './lane-queues';
import type { JobQueueName } from './queue-names';

/** Read-only numbers for metrics and dashboards: Bull's counts per queue, job rows by type and status. */
@Injectable()
export class QueueStats {
  constructor(
    private readonly lanes: LaneQueues,
    private readonly jobs: JobsRepository,
  ) {}

  /** Bull's counts per queue: `gpu`, `gpu-light` (light GPU work) and `cpu`. */
  async countsByQueue(): Promise<Record<JobQueueName, JobCounts>> {
    const counts = await Promise.all(this.lanes.all().map(async ([name, queue]) => [name, await queue.getJobCounts()] as const));
    return Object.fromEntries(counts) as Record<JobQueueName, JobCounts>;
  }

  jobsByTypeAndStatus(): Promise<Array<{ type: string; status: string; count: number }>> {
    return this.jobs.countsByTypeAndStatus();
  }

  /** The Bull queues themselves, for the admin queue dashboard. */
  queues(): Queue[] {
    return this.lanes.all().map(([, queue]) => queue);
  }
}
