import { describe, expect, it } from 'vitest';
import { DomainError } from '@atelier/platform';
import { attemptOutcome } from './attempt-outcome';

const first = { made: 0, max: 3 };
const last = { made: 2, max: 3 };

describe('attemptOutcome', () => {
  it('fails at once on bad input, with the error code', () => {
    expect(attemptOutcome(new DomainError('invalid', 'CROP_OUT_OF_BOUNDS', 'too far'), first)).toEqual({ kind: 'fail', code: 'CROP_OUT_OF_BOUNDS', message: 'too far' });
  });

  it('retries a dependency that is down, but not a model in its failure cool-down', () => {
    expect(attemptOutcome(new DomainError('unavailable', 'STORAGE_UNAVAILABLE', 'down'), first)).toEqual({ kind: 'retry' });
    expect(attemptOutcome(new DomainError('unavailable', 'MODEL_UNAVAILABLE', 'corrupt'), first)).toMatchObject({ kind: 'fail', code: 'MODEL_UNAVAILABLE' });
  });

  it('does not retry a remote call that already spent its attempts and deadline', () => {
    expect(attemptOutcome(new DomainError('unavailable', 'UPSTREAM_UNAVAILABLE', 'all hosts down'), first)).toEqual({ kind: 'fail', code: 'UPSTREAM_UNAVAILABLE', message: 'all hosts down' });
  });

  it('retries unknown errors until the attempts run out, then fails with JOB_FAILED', () => {
    expect(attemptOutcome(new Error('boom'), first)).toEqual({ kind: 'retry' });
    expect(attemptOutcome(new Error('boom'), last)).toEqual({ kind: 'fail', code: 'JOB_FAILED', message: 'The job failed after several attempts' });
    expect(attemptOutcome(new DomainError('unavailable', 'STORAGE_UNAVAILABLE', 'down'), last)).toMatchObject({ kind: 'fail', code: 'STORAGE_UNAVAILABLE' });
  });
});
