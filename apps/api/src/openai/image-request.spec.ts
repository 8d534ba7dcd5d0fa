import { describe, expect, it } from 'vitest';
import { inputJsonSchema, JOB_TYPE_BY_NAME, validateJobRequest } from '@atelier/jobs';
import { DomainError } from '@atelier/platform';
import { atelierModel, editFields, editRequest, generationRequest, img2imgTakesMask, parseSize, sideBounds } from './image-request';

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('OpenAI image requests → job bodies', () => {
  it('maps a generation to a txt2img job the job path accepts, ignoring the fields OpenAI clients add', () => {
    const request = generationRequest({ prompt: ' a red fox ', n: 2, size: '128x64', model: 'dall-e-3', quality: 'hd', style: 'vivid', user: 'u-1', seed: 7, steps: 4 });
    expect(request).toEqual({
      job: { type: 'txt2img', input: { prompt: 'a red fox', width: 128, height: 64, batch: 2, seed: 7, steps: 4 } },
      responseFormat: 'url',
    });
    // What the adapter builds is a body the one job path validates.
    expect(validateJobRequest(request.job).input).toMatchObject({ prompt: 'a red fox', width: 128, height: 64, batch: 2 });
  });

  it('passes an Atelier model id on and maps OpenAI model names to the default', () => {
    expect(generationRequest({ prompt: 'x', model: 'tiny-sd' }).job.model).toBe('tiny-sd');
    for (const name of ['dall-e-2', 'dall-e-3', 'gpt-image-1', 'gpt-image-1.5', 'gpt-image-1-mini', 'chatgpt-image-latest', undefined, null]) {
      expect(atelierModel(name), String(name)).toBeUndefined();
    }
  });

  it('answers url by default, b64_json when asked or for gpt-image models, and keeps output_format', () => {
    expect(generationRequest({ prompt: 'x' }).responseFormat).toBe('url');
    expect(generationRequest({ prompt: 'x', model: 'gpt-image-1' }).responseFormat).toBe('b64_json');
    expect(generationRequest({ prompt: 'x', model: 'gpt-image-1', response_format: 'url' }).responseFormat).toBe('url');
    expect(generationRequest({ prompt: 'x', response_format: 'b64_json', output_format: 'webp' })).toMatchObject({ responseFormat: 'b64_json', outputFormat: 'webp' });
  });

  it('reads sizes within the txt2img bounds; "auto" and none are the default', () => {
    const bounds = sideBounds('txt2img');
    const width = (inputJsonSchema(JOB_TYPE_BY_NAME.txt2img).properties as Record<string, Record<string, number>>).width;
    expect(bounds).toEqual({ min: width.minimum, max: width.maximum, multipleOf: width.multipleOf });
    expect(parseSize('auto', bounds)).toBeUndefined();
    expect(parseSize(undefined, bounds)).toBeUndefined();
    expect(parseSize(`${bounds.min}x${bounds.max}`, bounds)).toEqual({ width: bounds.min, height: bounds.max });
    for (const size of ['100x100', `${bounds.min - bounds.multipleOf}x64`, `64x${bounds.max + bounds.multipleOf}`, '64', '64*64', 'x', '1024x1024x2', '-64x64']) {
      const error = refusal(() => parseSize(size, bounds));
      expect(error, size).toMatchObject({ kind: 'bad_request', code: 'INVALID_SIZE', details: { field: 'size' } });
    }
    expect(refusal(() => parseSize('100x100', bounds)).message).toContain(`multiple of ${bounds.multipleOf}`);
  });

  it('refuses wrong types with 400 naming the field, and a streaming request', () => {
    expect(refusal(() => generationRequest({}))).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'prompt' } });
    expect(refusal(() => generationRequest({ prompt: '   ' }))).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'prompt' } });
    expect(refusal(() => generationRequest({ prompt: 'x', n: 1.5 }))).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'n' } });
    expect(refusal(() => generationRequest({ prompt: 'x', response_format: 'jpeg' }))).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'response_format' } });
    expect(refusal(() => generationRequest({ prompt: 'x', stream: true }))).toMatchObject({ code: 'STREAMING_NOT_SUPPORTED', details: { field: 'stream' } });
    expect(refusal(() => generationRequest([]))).toMatchObject({ kind: 'bad_request', code: 'BAD_REQUEST' });
    expect(refusal(() => generationRequest('prompt'))).toMatchObject({ kind: 'bad_request', code: 'BAD_REQUEST' });
  });

  it('reads multipart text fields of an edit as numbers and flags', () => {
    const fields = editFields({ prompt: 'oil painting', n: '2', strength: '0.5', steps: '3', stream: 'false', size: 'auto', background: 'transparent' });
    const image = { id: '0190a0b0-0000-7000-8000-000000000001', width: 96, height: 80 };
    // "auto": the image's own size, when the job accepts it.
    expect(editRequest(fields, image).job).toEqual({
      type: 'img2img',
      input: { prompt: 'oil painting', width: 96, height: 80, batch: 2, steps: 3, imageId: image.id, strength: 0.5 },
    });
    // A size the job would refuse is not kept: the job's default applies.
    expect(editRequest(editFields({ prompt: 'x' }), { ...image, width: 97 }).job.input).not.toHaveProperty('width');
    expect(editRequest(editFields({ prompt: 'x', size: '64x64' }), image, image.id).job.input).toMatchObject({ width: 64, height: 64, maskImageId: image.id });
    expect(refusal(() => editFields({ prompt: 'x', n: 'two' }))).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'n' } });
    expect(refusal(() => editFields({ prompt: 'x', size: '65x64' }))).toMatchObject({ code: 'INVALID_SIZE' });
  });

  it('takes masks exactly when the img2img input has maskImageId', () => {
    const properties = inputJsonSchema(JOB_TYPE_BY_NAME.img2img).properties as Record<string, unknown>;
    expect(img2imgTakesMask()).toBe('maskImageId' in properties);
  });
});
