import type { JobLane, JobType } from '../types/job-types';

/** Bull queue names owned by the jobs module: one per lane. */
export const QUEUE_NAMES: Record<JobLane, string> = { gpu: 'gpu', cpu: 'cpu' };

/** What travels through Bull: only ids; the jobs row is the source of truth. */
export interface QueuedJobPayload {
  jobId: string;
  ownerId: string;
}

export const MAX_ATTEMPTS = 3;

/** Per-attempt time limit: generation and upscale 120 s, the rest 60 s. */
export const timeoutOf = (type: JobType): number => (type === 'txt2img' || type === 'img2img' || type === 'upscale' ? 120_000 : 60_000);
