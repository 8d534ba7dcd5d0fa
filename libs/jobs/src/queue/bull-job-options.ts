import type { JobOptions } from 'bull';
import { bullPriority } from '../submission/plan-limits';
import { jobTypeDefinition, type JobType } from '../types/job-types';

export const MAX_ATTEMPTS = 3;

/** How a job sits in Bull: its row id as Bull's id, its plan priority, its type's time limit, three attempts. */
export function bullJobOptions(jobId: string, type: JobType, planPriority: number): JobOptions {
  return {
    jobId,
    priority: bullPriority(planPriority),
    timeout: jobTypeDefinition(type).attemptTimeoutMs,
    attempts: MAX_ATTEMPTS,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: 1000,
    removeOnFail: 1000,
  };
}
