import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { queueOf, type JobType } from '../types/job-types';
import { QUEUE_NAMES, type JobQueueName, type QueuedJobPayload } from './queue-names';

/** The Bull queue of each lane and class, injected once for everything that talks to Bull. */
@Injectable()
export class LaneQueues {
  private readonly queues: Record<JobQueueName, Queue<QueuedJobPayload>>;

  constructor(
    @InjectQueue(QUEUE_NAMES.gpu) gpu: Queue<QueuedJobPayload>,
    @InjectQueue(QUEUE_NAMES['gpu-light']) gpuLight: Queue<QueuedJobPayload>,
    @InjectQueue(QUEUE_NAMES.cpu) cpu: Queue<QueuedJobPayload>,
  ) {
    this.queues = { gpu, 'gpu-light': gpuLight, cpu };
  }

  of(queue: JobQueueName): Queue<QueuedJobPayload> {
    return this.queues[queue];
  }

  /** The queue a job of this type waits in. */
  forType(type: JobType): Queue<QueuedJobPayload> {
    return this.queues[queueOf(type)];
  }

  all(): Array<[JobQueueName, Queue<QueuedJobPayload>]> {
    return Object.entries(this.queues) as Array<[JobQueueName, Queue<QueuedJobPayload>]>;
  }

  /** True when every queue's Redis connection is up. */
  ready(): boolean {
    return this.all().every(([, queue]) => queue.client.status === 'ready');
  }
}
