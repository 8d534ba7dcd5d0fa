import { describe, expect, it } from 'vitest';
import { errorResponse } from '../http/error-response';
import { succeededOrThrow, JobOutcomeError } from './job-outcome';
import { toOpenAiError } from './openai-error';
import type { JobEntity } from '@atelier/jobs';

describe("the API's errors in OpenAI's shape", () => {
  it('keeps the code and message, types by status, and names the OpenAI parameter', () => {
    expect(toOpenAiError(errorResponse(400, 'INVALID_SIZE', 'size 1x1 is not supported', { field: 'size' }))).toEqual({
      error: { message: 'size 1x1 is not supported', type: 'invalid_request_error', param: 'size', code: 'INVALID_SIZE' },
    });
    expect(toOpenAiError(errorResponse(401, 'UNAUTHENTICATED', 'no'))).toEqual({ error: { message: 'no', type: 'authentication_error', param: null, code: 'UNAUTHENTICATED' } });
    const types = [402, 403, 404, 409, 413, 415, 422, 429, 500, 503, 504].map((status) => toOpenAiError(errorResponse(status, 'X', 'x')).error.type);
    expect(types).toEqual([
      'insufficient_quota', 'permission_error', 'invalid_request_error', 'invalid_request_error', 'invalid_request_error', 'invalid_request_error',
      'invalid_request_error', 'rate_limit_error', 'server_error', 'server_error', 'server_error',
    ]);
  });

  it("maps the job input's field names back to OpenAI's parameters", () => {
    const param = (details: Record<string, unknown> | undefined, code = 'INVALID_JOB') => toOpenAiError(errorResponse(422, code, 'x', details)).error.param;
    expect(param({ fields: [{ path: 'batch', message: '"batch" must be less than or equal to 8' }] })).toBe('n');
    expect(param({ fields: [{ path: 'width', message: '' }] })).toBe('size');
    expect(param({ field: 'imageId' }, 'IMAGE_NOT_FOUND')).toBe('image');
    expect(param({ field: 'model' }, 'UNKNOWN_MODEL')).toBe('model');
    expect(param({ fields: [{ path: 'steps', message: '' }] })).toBe('steps');
    expect(param({ maxBatch: 2 }, 'BATCH_OVER_PLAN')).toBe('n');
    expect(param({ maxPixels: 1 }, 'PIXELS_OVER_PLAN')).toBe('size');
    expect(param({ cost: 600, available: 200 }, 'INSUFFICIENT_CREDITS')).toBeNull();
    expect(param(undefined)).toBeNull();
  });
});

describe('a job that gave no images', () => {
  const job = (status: JobEntity['status'], error: JobEntity['error'] = null) => ({ id: 'j-1', status, error }) as JobEntity;
  const outcome = (row: JobEntity | null) => {
    try {
      succeededOrThrow(row, 'j-1', 120_000);
    } catch (error) {
      return error;
    }
    throw new Error('expected an outcome error');
  };

  it('is a 504 naming the job while it runs on, and a 409 once canceled', () => {
    for (const status of ['queued', 'running'] as const) {
      const error = outcome(job(status)) as JobOutcomeError;
      expect(error).toMatchObject({ status: 504, code: 'JOB_WAIT_TIMEOUT' });
      expect(error.message).toContain('/v1/jobs/j-1');
      expect(error.message).toContain('120 s');
    }
    expect(outcome(job('canceled'))).toMatchObject({ status: 409, code: 'JOB_CANCELED' });
  });

  it("keeps a failed job's code, with its kind's status where the API knows the code", () => {
    expect(outcome(job('failed', { code: 'JOB_TIMEOUT', message: 'ran past 120 s' }))).toMatchObject({ status: 500, code: 'JOB_TIMEOUT', message: 'Job j-1 failed: ran past 120 s' });
    expect(outcome(job('failed', { code: 'MODEL_UNAVAILABLE', message: 'load failed' }))).toMatchObject({ status: 503, code: 'MODEL_UNAVAILABLE' });
    expect(outcome(job('failed', { code: 'IMAGE_UNDECODABLE', message: 'corrupt' }))).toMatchObject({ status: 422, code: 'IMAGE_UNDECODABLE' });
    expect(outcome(null)).toMatchObject({ kind: 'not_found', code: 'JOB_NOT_FOUND' });
    const done = job('succeeded');
    expect(succeededOrThrow(done, 'j-1', 1)).toBe(done);
  });
});
