import { describe, expect, it } from 'vitest';
import { inputJsonSchema, needsImage, quoteCost } from './job-type-definition';
import { JOB_TYPE_BY_NAME, JOB_TYPE_DEFINITIONS } from './job-types';
import { jobTypeViews } from './job-type-views';

const { txt2img, img2img, upscale, resize } = JOB_TYPE_BY_NAME;

describe('job type definitions', () => {
  it('quote ten credits for a 512², 20-step image and scale with pixels, steps and batch', () => {
    const input = (overrides: object) => txt2img.input.parse({ prompt: 'x', ...overrides });
    expect(quoteCost(txt2img, input({}))).toBe(10);
    expect(quoteCost(txt2img, input({ width: 1024, height: 1024 }))).toBe(40);
    expect(quoteCost(txt2img, input({ steps: 40, batch: 2 }))).toBe(40);
    expect(quoteCost(txt2img, input({ width: 64, height: 64, steps: 1 }))).toBe(1);
    expect(quoteCost(upscale, upscale.input.parse({ imageId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f' }))).toBe(5);
  });

  it('publish the JSON Schema the server validates with: bounds, enums, defaults, the prompt-or-template rule', () => {
    const schema = inputJsonSchema(txt2img) as { properties: Record<string, Record<string, unknown>>; oneOf: unknown[]; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.width).toMatchObject({ type: 'integer', minimum: 64, maximum: 2048, multipleOf: 8, default: 512 });
    expect(schema.properties.scheduler).toMatchObject({ type: 'string', enum: ['euler', 'euler-a', 'ddim', 'lcm', 'dpmpp-2m', 'dpmpp-2m-sde', 'unipc', 'unipc-bh2'] });
    expect(schema.properties.sigmaSchedule).toMatchObject({ type: 'string', enum: ['normal', 'karras', 'exponential', 'simple'] });
    expect(schema.oneOf).toEqual([{ required: ['prompt'] }, { required: ['templateId', 'subject'] }]);
    expect(inputJsonSchema(resize)).toMatchObject({ required: ['imageId'], anyOf: [{ required: ['width'] }, { required: ['height'] }] });
    expect(inputJsonSchema(upscale)).toMatchObject({ properties: { scale: { enum: [2, 4], default: 2 } } });
  });

  it('refuse a sigma schedule with a sampler that runs on the model\'s own timesteps', () => {
    const base = { prompt: 'x', sigmaSchedule: 'karras' };
    expect(txt2img.input.safeParse({ ...base, scheduler: 'dpmpp-2m' }).success).toBe(true);
    expect(txt2img.input.safeParse({ ...base }).success).toBe(true); // euler by default
    const refused = txt2img.input.safeParse({ ...base, scheduler: 'ddim' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['sigmaSchedule'], message: 'must be normal with scheduler ddim' });
    expect(img2img.input.safeParse({ ...base, scheduler: 'lcm', imageId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f' }).success).toBe(false);
  });

  it('need an image exactly when the input requires imageId', () => {
    expect(needsImage(txt2img)).toBe(false);
    expect(needsImage(img2img)).toBe(true);
    expect(JOB_TYPE_DEFINITIONS.filter((d) => !needsImage(d)).map((d) => d.type)).toEqual(['txt2img', 'workflow']);
  });

  it('list every type for GET /v1/job-types', () => {
    const views = jobTypeViews();
    expect(views.map((v) => v.type)).toEqual(JOB_TYPE_DEFINITIONS.map((d) => d.type));
    expect(views.find((v) => v.type === 'smart-crop')).toMatchObject({
      lane: 'gpu',
      needsImage: true,
      usesModel: false,
      cost: { base: 2 },
      inputSchema: { required: ['imageId', 'width', 'height'] },
      outputs: [{ kind: 'image' }, { kind: 'json' }],
    });
    expect(views.find((v) => v.type === 'txt2img')?.cost).toEqual({ base: 1, perMegapixelStep: 2 });
  });

  it('accept every published example and refuse what the schema refuses', () => {
    for (const definition of JOB_TYPE_DEFINITIONS) {
      const schema = inputJsonSchema(definition) as { additionalProperties?: boolean };
      expect(schema.additionalProperties, definition.type).toBe(false);
      expect(definition.input.safeParse({ surplus: true }).success, definition.type).toBe(false);
    }
  });
});
