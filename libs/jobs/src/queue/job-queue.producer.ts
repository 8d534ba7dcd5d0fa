import { Injectable } from '@nestjs/common';
import { jobErrors } from '../job-errors';
import type { JobType } from '../types/job-types';
import { bullJobOptions } from './bull-job-options';
import { LaneQueues } from './lane-queues';

const ENQUEUE_TIMEOUT_MS = 3000;
const unavailable = () => jobErrors('QUEUE_UNAVAILABLE', 'The job queue is unavailable; try again shortly');

/** Puts accepted jobs on their lane's Bull queue; Bull's job id is the jobs row id. */
@Injectable()
export class JobQueueProducer {
  constructor(private readonly queues: LaneQueues) {}

  /** Fails fast (503) while Redis is down, before anything is written. */
  assertAvailable(type: JobType): void {
    if (this.queues.forType(type).client.status !== 'ready') throw unavailable();
  }

  /**
   * Throws a 503 DomainError when Redis does not take the job in time. `ownWaiting`: the owner's
   * jobs already waiting in that queue, which puts this one behind other users' first jobs.
   */
  async enqueue(job: { id: string; ownerId: string; type: JobType; priority: number }, ownWaiting = 0): Promise<void> {
    const add = this.queues.forType(job.type).add({ jobId: job.id, ownerId: job.ownerId }, bullJobOptions(job.id, job.type, job.priority, ownWaiting));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('DEPENDENCY_TIMEOUT: queue')), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([add, timeout]);
    } catch {
      throw unavailable();
    } finally {
      clearTimeout(timer);
    }
  }

  /** Removes a job that has not started yet (cancel); a job already taken is left to the worker. */
  async removeWaiting(type: JobType, jobId: string): Promise<void> {
    const job = await this.queues.forType(type).getJob(jobId);
    if (job && ((await job.isWaiting()) || (await job.isDelayed()))) await job.remove();
  }
}
