import type { JobLane } from '../types/job-type-definition';

/**
 * The Bull queues owned by the jobs module: one per lane, and on the gpu lane one more for
 * light work (`jobClass: 'light'`: face, line and text detection), consumed with its own
 * worker slots so it never waits behind generations.
 */
export type JobQueueName = JobLane | 'gpu-light';
export const QUEUE_NAMES: Record<JobQueueName, string> = { gpu: 'gpu', 'gpu-light': 'gpu-light', cpu: 'cpu' };

/** The lane a queue belongs to (what a worker's heartbeat reports). */
export const laneOfQueue = (queue: JobQueueName): JobLane => (queue === 'cpu' ? 'cpu' : 'gpu');

/** What travels through Bull: only ids; the jobs row is the source of truth. */
export interface QueuedJobPayload {
  jobId: string;
  ownerId: string;
}
