import { jobTypeDefinition, type JobType } from '../types/job-types';
import { MAX_ATTEMPTS, RETRY_BACKOFF_MS } from './bull-job-options';

/** Operator caps over the types' own limits (0: none), e.g. to keep a small install's GPU from long runs. */
export interface AttemptCaps {
  attemptTimeoutCapMs: number;
  deadlineCapMs: number;
}

const capped = (ms: number, cap: number) => (cap > 0 ? Math.min(ms, cap) : ms);

/** Every attempt at its full time limit plus the backoff between them. */
const defaultDeadlineMs = (attemptTimeoutMs: number) => attemptTimeoutMs * MAX_ATTEMPTS + RETRY_BACKOFF_MS * (2 ** (MAX_ATTEMPTS - 1) - 1);

/** The overall deadline of a job of this type, from its first start: no attempt runs past it. */
export function jobDeadlineMs(type: JobType, caps: AttemptCaps): number {
  const definition = jobTypeDefinition(type);
  return capped(definition.deadlineMs ?? defaultDeadlineMs(definition.attemptTimeoutMs), caps.deadlineCapMs);
}

/** How long this attempt may run: its type's per-try limit, but never past the job's deadline (0: none left). */
export function attemptBudgetMs(type: JobType, deadlineAt: Date, caps: AttemptCaps, now = Date.now()): number {
  return Math.max(0, Math.min(capped(jobTypeDefinition(type).attemptTimeoutMs, caps.attemptTimeoutCapMs), deadlineAt.getTime() - now));
}
