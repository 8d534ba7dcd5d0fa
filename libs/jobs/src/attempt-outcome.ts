import { DomainError } from '@atelier/platform';

export type AttemptOutcome = { kind: 'retry' } | { kind: 'fail'; code: string; message: string };

/**
 * What a failed attempt means for its job. A DomainError is permanent (bad input, an image that
 * cannot be decoded, a crop out of bounds), except `unavailable` ones (a dependency down), which
 * are retried; MODEL_UNAVAILABLE is not, because during the model's cool-down every retry would
 * fail the same way. Anything else is retried until the attempts run out.
 */
export function attemptOutcome(error: unknown, attempt: { made: number; max: number }): AttemptOutcome {
  const permanent = error instanceof DomainError && (error.kind !== 'unavailable' || error.code === 'MODEL_UNAVAILABLE');
  if (!permanent && attempt.made + 1 < attempt.max) return { kind: 'retry' };
  return error instanceof DomainError
    ? { kind: 'fail', code: error.code, message: error.message }
    : { kind: 'fail', code: 'JOB_FAILED', message: 'The job failed after several attempts' };
}
