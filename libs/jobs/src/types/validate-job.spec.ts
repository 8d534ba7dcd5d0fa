import { describe, expect, it } from 'vitest';
import { laneOf } from './job-types';
import { validateJobRequest } from './validate-job';

const imageId = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
const templateId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('validateJobRequest', () => {
  it('accepts a resize and applies defaults', () => {
    const job = validateJobRequest({ type: 'resize', input: { imageId, width: 32 } });
    expect(job).toEqual({ type: 'resize', model: null, webhookUrl: null, cache: true, input: { imageId, width: 32, fit: 'cover' } });
  });

  it('takes cache: false as the opt-out of the result cache, and refuses a cache that is not a boolean', () => {
    expect(validateJobRequest({ type: 'resize', input: { imageId, width: 32 }, cache: false }).cache).toBe(false);
    expect(() => validateJobRequest({ type: 'resize', input: { imageId, width: 32 }, cache: 'no' })).toThrow(/cache/);
  });

  it('applies generation defaults and requires width and height in multiples of 8', () => {
    expect(validateJobRequest({ type: 'txt2img', input: { prompt: 'a cat' } }).input).toEqual({ prompt: 'a cat', width: 512, height: 512, steps: 20, guidance: 7, batch: 1 });
    expect(() => validateJobRequest({ type: 'txt2img', input: { prompt: 'a cat', width: 500 } })).toThrow(/"width" must be a multiple of 8/);
  });

  it('wants a prompt or a template with a subject, not both', () => {
    expect(() => validateJobRequest({ type: 'txt2img', input: {} })).toThrow(/prompt/);
    expect(() => validateJobRequest({ type: 'txt2img', input: { prompt: 'x', templateId, subject: 's' } })).toThrow(/not both/);
    expect(() => validateJobRequest({ type: 'txt2img', input: { templateId } })).toThrow(/"subject" is required with templateId/);
    expect(validateJobRequest({ type: 'txt2img', input: { templateId, subject: 'a fox', variables: { style: 'ink' }, templateVersion: 2 } }).input).toMatchObject({
      templateId,
      subject: 'a fox',
      templateVersion: 2,
    });
  });

  it('refuses unknown types, unknown fields and wrong types with 422 details naming each field', () => {
    expect(() => validateJobRequest({ type: 'teleport', input: {} })).toThrow(expect.objectContaining({ kind: 'invalid', code: 'INVALID_JOB' }));
    expect(() => validateJobRequest({ type: 'ocr', input: { imageId, extra: 1 } })).toThrow(/"extra" is not allowed/);
    try {
      validateJobRequest({ type: 'crop', input: { imageId: 'nope', left: '1', top: 0, width: 5 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_JOB', details: { fields: expect.any(Array) } });
      const fields = (error as { details: { fields: Array<{ path: string; message: string }> } }).details.fields;
      expect(fields).toEqual(
        expect.arrayContaining([
          { path: 'imageId', message: '"imageId" must be a valid UUID' },
          { path: 'left', message: '"left" must be a number' },
          { path: 'height', message: '"height" is required' },
        ]),
      );
    }
  });

  it('checks the envelope: model, webhookUrl', () => {
    expect(() => validateJobRequest({ type: 'txt2img', model: 7, input: { prompt: 'x' } })).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'model' }) }));
    expect(() => validateJobRequest({ type: 'txt2img', webhookUrl: 'ftp://x', input: { prompt: 'x' } })).toThrow(/must be an http\(s\) URL/);
  });

  it('refuses a body that is not an object with a 400', () => {
    expect(() => validateJobRequest([1, 2])).toThrow(expect.objectContaining({ kind: 'bad_request' }));
  });

  it('accepts smart-crop and puts model work on the gpu lane, image operations on the cpu lane', () => {
    expect(validateJobRequest({ type: 'smart-crop', input: { imageId, width: 64, height: 64 } }).input).toEqual({ imageId, width: 64, height: 64 });
    expect(['txt2img', 'detect-faces', 'ocr', 'smart-crop'].map((t) => laneOf(t as never))).toEqual(['gpu', 'gpu', 'gpu', 'gpu']);
    expect(['resize', 'crop', 'filter'].map((t) => laneOf(t as never))).toEqual(['cpu', 'cpu', 'cpu']);
  });
});
