import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLER_NAMES } from '@atelier/models';
import type { InputSchema, JobTypeInfo } from '../../client/src';
import { describeInput, fieldsOf, groupOf, inputOf, isActive, labelOf } from '../../web/src/job-types/job-fields';

/**
 * `GET /v1/job-types` entries in the endpoint's announced shape, with the real input schemas of
 * the OpenAPI document (`components.schemas.<Type>Input`), so the form is tested on what the API takes.
 */
const schemas = JSON.parse(readFileSync('docs/openapi.json', 'utf8')).components.schemas as Record<string, InputSchema>;
const jobType = (type: JobTypeInfo['type'], schema: string, lane: 'gpu' | 'cpu', kinds: Array<'image' | 'json'>): JobTypeInfo => ({
  type,
  lane,
  jobClass: type === 'ocr' ? 'light' : 'heavy',
  description: `${type} test entry`,
  inputSchema: schemas[schema]!,
  outputs: kinds.map((kind) => ({ kind, description: kind })),
  needsImage: 'imageId' in schemas[schema]!.properties,
  usesModel: lane === 'gpu',
  cost: { base: 1 },
});
const txt2img = jobType('txt2img', 'Txt2imgInput', 'gpu', ['image', 'json']);
const upscale = jobType('upscale', 'UpscaleInput', 'gpu', ['image']);
const resize = jobType('resize', 'ResizeInput', 'cpu', ['image']);
const filter = jobType('filter', 'FilterInput', 'cpu', ['image']);
const ocr = jobType('ocr', 'OcrInput', 'gpu', ['json']);
const values = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('the job form fields from a job type', () => {
  it('reads controls, bounds, steps and defaults from the input schema, in its order', () => {
    const fields = fieldsOf(txt2img);
    const names = fields.map((f) => f.name);
    expect(names).toEqual(Object.keys(txt2img.inputSchema.properties).filter((name) => name !== 'variables'));
    expect([...names].sort()).toEqual(['batch', 'guidance', 'height', 'loras', 'negativePrompt', 'prompt', 'scheduler', 'seed', 'sigmaSchedule', 'steps', 'subject', 'templateId', 'templateVersion', 'width']);
    const byName = new Map(fields.map((f) => [f.name, f]));
    // A list of objects is edited as JSON.
    expect(byName.get('loras')).toMatchObject({ control: 'json', valueType: 'json' });
    expect(byName.get('prompt')).toMatchObject({ control: 'textarea', label: 'Prompt', maxLength: 2000, when: 'no-template', initial: '' });
    expect(byName.get('templateId')).toMatchObject({ control: 'template', label: 'Template' });
    expect(byName.get('subject')).toMatchObject({ control: 'text', when: 'template', maxLength: 500 });
    expect(byName.get('width')).toMatchObject({ control: 'number', valueType: 'integer', min: 64, max: 2048, step: '8', initial: '512' });
    expect(byName.get('guidance')).toMatchObject({ control: 'number', valueType: 'number', min: 0, max: 30, step: 'any', initial: '7' });
    expect(byName.get('seed')).toMatchObject({ control: 'number', step: '1', initial: '', hint: 'Default: derived from the job id', required: false });
    // An optional enum without a default can stay unset.
    expect(byName.get('scheduler')!.options!.map((o) => o.value)).toEqual(['', ...SAMPLER_NAMES]);
    expect(byName.get('negativePrompt')!.label).toBe('Negative prompt');
    // The template variables (an object) have no control.
    expect(byName.has('variables')).toBe(false);
  });

  it('leaves the source image to the drop zone and keeps required choices without a blank', () => {
    expect(fieldsOf(ocr)).toEqual([]);
    const [kind, amount] = fieldsOf(filter);
    expect(kind).toMatchObject({ name: 'filter', control: 'select', required: true });
    expect(kind!.options!.map((o) => o.value)).toEqual(['blur', 'sharpen', 'grayscale', 'edges']);
    expect(amount).toMatchObject({ name: 'amount', control: 'number', min: 0.3, max: 100, step: 'any', required: false });
    const [scale, method] = fieldsOf(upscale);
    expect(scale).toMatchObject({ control: 'select', valueType: 'number', initial: '2' });
    expect(scale!.options!.map((o) => o.value)).toEqual(['2', '3', '4']);
    expect(method!.options!.map((o) => o.value)).toEqual(['super-resolution', 'lanczos']);
  });

  it('builds the input: parsed numbers, blanks left to the API, the image, and the template instead of the prompt', () => {
    expect(inputOf(txt2img, values({ prompt: ' A lighthouse ', width: '128', height: '128', steps: '8', guidance: '6.5', seed: '', batch: '1', scheduler: '' }), null)).toEqual({
      prompt: 'A lighthouse',
      width: 128,
      height: 128,
      steps: 8,
      guidance: 6.5,
      batch: 1,
    });
    expect(inputOf(txt2img, values({ prompt: 'ignored', templateId: 'tpl-1', subject: 'a fox', templateVersion: '2' }), null)).toEqual({ templateId: 'tpl-1', subject: 'a fox', templateVersion: 2 });
    expect(inputOf(upscale, values({ scale: '4' }), 'img-1')).toEqual({ imageId: 'img-1', scale: 4 });
    expect(inputOf(resize, values({ width: '40', height: '', fit: 'cover' }), 'img-2')).toEqual({ imageId: 'img-2', width: 40, fit: 'cover' });
    expect(inputOf(ocr, values({}), null)).toEqual({}); // no image yet: the form says so before submitting
  });

  it('shows the prompt or the template fields, never both', () => {
    const byName = new Map(fieldsOf(txt2img).map((f) => [f.name, f]));
    expect(isActive(byName.get('prompt')!, false)).toBe(true);
    expect(isActive(byName.get('prompt')!, true)).toBe(false);
    expect(isActive(byName.get('subject')!, true)).toBe(true);
    expect(isActive(byName.get('subject')!, false)).toBe(false);
    expect(isActive(byName.get('width')!, true)).toBe(true);
  });

  it('summarises an input in one line and groups the job types by what they do', () => {
    expect(describeInput({ imageId: 'x', prompt: 'A kite', width: 128, variables: { a: 'b' }, seed: 7 })).toBe('“A kite” · seed 7 · width 128');
    expect(describeInput({ width: 128, seed: 7, prompt: 'A kite' })).toBe(describeInput({ seed: 7, prompt: 'A kite', width: 128 })); // any key order
    expect(describeInput(undefined)).toBe('');
    expect([txt2img, upscale, resize, ocr].map(groupOf)).toEqual(['Generate', 'Generate', 'Image operations', 'Analysis']);
    expect(labelOf('templateVersion')).toBe('Template version');
    expect(labelOf('detectMinScore')).toBe('Detect min score');
  });
});
