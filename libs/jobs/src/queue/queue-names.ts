import type { JobLane } from '../types/job-type-definition';

/** Bull queue names owned by the jobs module: one per lane. */
export const QUEUE_NAMES: Record<JobLane, string> = { gpu: 'gpu', cpu: 'cpu' };

/** What travels through Bull: only ids; the jobs row is the source of truth. */
export interface QueuedJobPayload {
  jobId: string;
  ownerId: string;
}
