import { describe, expect, it } from 'vitest';
import { laneOf } from './job-types';
import { validateJobRequest } from './validate-job';

const imageId = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';

describe('validateJobRequest', () => {
  it('accepts a resize and applies defaults', () => {
    const job = validateJobRequest({ type: 'resize', input: { imageId, width: 32 } });
    expect(job).toEqual({ type: 'resize', model: null, webhookUrl: null, input: { imageId, width: 32, fit: 'cover' } });
  });

  it('applies generation defaults and requires width and height in multiples of 8', () => {
    expect(validateJobRequest({ type: 'txt2img', input: { prompt: 'a cat' } }).input).toMatchObject({ width: 512, height: 512, steps: 20, batch: 1 });
    expect(() => validateJobRequest({ type: 'txt2img', input: { prompt: 'a cat', width: 500 } })).toThrow(/multiple of 8/);
  });

  it('wants a prompt or a template with a subject, not both', () => {
    expect(() => validateJobRequest({ type: 'txt2img', input: {} })).toThrow(/prompt/);
    expect(() => validateJobRequest({ type: 'txt2img', input: { prompt: 'x', templateId: imageId, subject: 's' } })).toThrow();
    expect(() => validateJobRequest({ type: 'txt2img', input: { templateId: imageId } })).toThrow(/subject/);
  });

  it('refuses unknown types, unknown fields and wrong types with 422 details', () => {
    expect(() => validateJobRequest({ type: 'teleport', input: {} })).toThrow(expect.objectContaining({ kind: 'invalid', code: 'INVALID_JOB' }));
    expect(() => validateJobRequest({ type: 'ocr', input: { imageId, extra: 1 } })).toThrow(/not allowed/);
    expect(() => validateJobRequest({ type: 'crop', input: { imageId, left: '1', top: 0, width: 5, height: 5 } })).toThrow(/left/);
  });

  it('refuses a body that is not an object with a 400', () => {
    expect(() => validateJobRequest([1, 2])).toThrow(expect.objectContaining({ kind: 'bad_request' }));
  });

  it('puts model work on the gpu lane and image operations on the cpu lane', () => {
    expect(['txt2img', 'detect-faces', 'ocr'].map((t) => laneOf(t as never))).toEqual(['gpu', 'gpu', 'gpu']);
    expect(['resize', 'crop', 'filter'].map((t) => laneOf(t as never))).toEqual(['cpu', 'cpu', 'cpu']);
  });
});
