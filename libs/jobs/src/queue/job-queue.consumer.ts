import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bull';
import type { JobLane } from '../types/job-types';
import { LaneQueues } from './lane-queues';
import { laneOfQueue, type JobQueueName, type QueuedJobPayload } from './queue-names';

export type QueuedJobHandler = (payload: QueuedJobPayload, attempt: { made: number; max: number }) => Promise<void>;
/** Called when Bull gives up on a job outside the handler (stalled too often, out of attempts after a timeout). */
export type GaveUpHandler = (payload: QueuedJobPayload, reason: string) => Promise<void>;

/**
 * Consumer plumbing for the worker: one processor per lane with concurrency from
 * configuration (decorator-based processors fix concurrency at compile time).
 */
@Injectable()
export class JobQueueConsumer implements OnModuleDestroy {
  private readonly logger = new Logger(JobQueueConsumer.name);
  private readonly consumed: JobQueueName[] = [];
  private paused = false;

  constructor(private readonly queues: LaneQueues) {}

  consume(lane: JobQueueName, concurrency: number, handler: QueuedJobHandler, onGaveUp: GaveUpHandler): void {
    const queue = this.queues.of(lane);
    this.consumed.push(lane);
    queue.on('failed', (job: Job<QueuedJobPayload>, error: Error) => {
      const outOfAttempts = job.attemptsMade >= (job.opts.attempts ?? 1);
      if (outOfAttempts || /stalled more than/i.test(error.message)) void onGaveUp(job.data, error.message).catch(() => undefined);
    });
    queue.on('error', (error) => this.logger.warn(`queue ${lane}: ${error.message}`));
    queue.on('stalled', (job: Job<QueuedJobPayload>) => this.logger.warn({ jobId: job.data.jobId, lane }, 'job stalled; it will run again'));
    void queue.process(concurrency, (job: Job<QueuedJobPayload>) =>
      handler(job.data, { made: job.attemptsMade, max: job.opts.attempts ?? 1 }),
    );
    this.logger.log(`consuming queue ${lane} with concurrency ${concurrency}`);
  }

  /** The lanes this process takes jobs from (the light queue is part of the gpu lane). */
  lanes(): JobLane[] {
    return [...new Set(this.consumed.map(laneOfQueue))];
  }

  /** True between pause() and resume(): this process takes no new jobs. */
  isPaused(): boolean {
    return this.paused;
  }

  /**
   * Drain: this process stops taking new jobs at once (Bull's local pause, which aborts the
   * waiting fetch); the running jobs finish. Other workers and the queues themselves go on.
   */
  async pause(): Promise<void> {
    await Promise.all(this.consumed.map((lane) => this.queues.of(lane).pause(true, true)));
    // Only now: a heartbeat that says "draining" must mean no fetch is still waiting for a job.
    this.paused = true;
    this.logger.log(`paused: taking no new jobs from ${this.consumed.join(', ')}`);
  }

  async resume(): Promise<void> {
    this.paused = false;
    await Promise.all(this.consumed.map((lane) => this.queues.of(lane).resume(true)));
    this.logger.log(`resumed: taking jobs from ${this.consumed.join(', ')}`);
  }

  async onModuleDestroy(): Promise<void> {
    // Let running jobs finish their current step; Bull re-queues what a hard kill leaves.
    await Promise.all(this.queues.all().map(([, q]) => q.close().catch(() => undefined)));
  }
}
