import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import type { JobLane } from '../types/job-types';
import { QUEUE_NAMES, type QueuedJobPayload } from './queue-names';

/** The Bull queue of each lane, injected once for everything that talks to Bull. */
@Injectable()
export class LaneQueues {
  private readonly queues: Record<JobLane, Queue<QueuedJobPayload>>;

  constructor(
    @InjectQueue(QUEUE_NAMES.gpu) gpu: Queue<QueuedJobPayload>,
    @InjectQueue(QUEUE_NAMES.cpu) cpu: Queue<QueuedJobPayload>,
  ) {
    this.queues = { gpu, cpu };
  }

  of(lane: JobLane): Queue<QueuedJobPayload> {
    return this.queues[lane];
  }

  all(): Array<[JobLane, Queue<QueuedJobPayload>]> {
    return Object.entries(this.queues) as Array<[JobLane, Queue<QueuedJobPayload>]>;
  }

  /** True when every lane's Redis connection is up. */
  ready(): boolean {
    return this.all().every(([, queue]) => queue.client.status === 'ready');
  }
}
