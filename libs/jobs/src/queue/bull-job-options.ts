import type { JobOptions } from 'bull';
import { fairBullPriority } from '../submission/plan-limits';
import type { JobType } from '../types/job-types';

/** One attempt and up to three retries, for transient failures only (attemptOutcome decides). */
export const MAX_ATTEMPTS = 4;
/** The first retry waits this long, each next one twice as long (1 s, 2 s, 4 s). */
export const RETRY_BACKOFF_MS = 1000;

/**
 * How a job sits in Bull: its row id as Bull's id, its plan priority (and within it, after the
 * first jobs of other users: `ownWaiting`, see fairBullPriority), four attempts with
 * exponential backoff. No Bull `timeout`: Bull's would free the worker's slot while the handler
 * goes on running; the worker enforces each attempt's time limit itself (see attempt-limits.ts).
 */
export function bullJobOptions(jobId: string, _type: JobType, planPriority: number, ownWaiting = 0): JobOptions {
  return {
    jobId,
    priority: fairBullPriority(planPriority, ownWaiting),
    attempts: MAX_ATTEMPTS,
    backoff: { type: 'exponential', delay: RETRY_BACKOFF_MS },
    removeOnComplete: 1000,
    removeOnFail: 1000,
  };
}
