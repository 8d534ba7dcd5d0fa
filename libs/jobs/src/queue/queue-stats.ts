import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobCounts, Queue } from 'bull';
import { DataSource } from 'typeorm';
import type { JobLane } from '../types/job-types';
import { LaneQueues } from './lane-queues';

/** Read-only numbers for metrics and dashboards: Bull's counts per lane, job rows by type and status. */
@Injectable()
export class QueueStats {
  constructor(
    private readonly lanes: LaneQueues,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async countsByLane(): Promise<Record<JobLane, JobCounts>> {
    const [gpu, cpu] = await Promise.all([this.lanes.of('gpu').getJobCounts(), this.lanes.of('cpu').getJobCounts()]);
    return { gpu, cpu };
  }

  async jobsByTypeAndStatus(): Promise<Array<{ type: string; status: string; count: number }>> {
    const rows = (await this.dataSource.query(`SELECT type, status, count(*)::int AS count FROM jobs GROUP BY type, status`)) as Array<{
      type: string;
      status: string;
      count: number;
    }>;
    return rows;
  }

  /** The Bull queues themselves, for the admin queue dashboard. */
  queues(): Queue[] {
    return this.lanes.all().map(([, queue]) => queue);
  }
}
