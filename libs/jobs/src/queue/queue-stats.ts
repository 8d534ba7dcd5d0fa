import { Injectable } from '@nestjs/common';
import type { JobCounts, Queue } from 'bull';
import type { JobLane } from '../types/job-types';
import { JobsRepository } from '../jobs.repository';
import { LaneQueues } from './lane-queues';

/** Read-only numbers for metrics and dashboards: Bull's counts per lane, job rows by type and status. */
@Injectable()
export class QueueStats {
  constructor(
    private readonly lanes: LaneQueues,
    private readonly jobs: JobsRepository,
  ) {}

  async countsByLane(): Promise<Record<JobLane, JobCounts>> {
    const [gpu, cpu] = await Promise.all([this.lanes.of('gpu').getJobCounts(), this.lanes.of('cpu').getJobCounts()]);
    return { gpu, cpu };
  }

  jobsByTypeAndStatus(): Promise<Array<{ type: string; status: string; count: number }>> {
    return this.jobs.countsByTypeAndStatus();
  }

  /** The Bull queues themselves, for the admin queue dashboard. */
  queues(): Queue[] {
    return this.lanes.all().map(([, queue]) => queue);
  }
}
