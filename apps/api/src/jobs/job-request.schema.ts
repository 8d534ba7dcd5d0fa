import type { SchemaObject } from '@nestjs/swagger';
import { JOB_TYPES, type JobType } from '@atelier/jobs';

/**
 * The job body, written from API.md: it is validated by Joi (libs/jobs job-types.ts), not by a
 * DTO class, so Swagger cannot infer it. job-request.schema.spec.ts fails when the two disagree.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const imageId: SchemaObject = { type: 'string', format: 'uuid', description: 'An image of yours (POST /v1/images or a job output)' };
const dimension: SchemaObject = { type: 'integer', minimum: 1, maximum: 8192 };
const side: SchemaObject = { type: 'integer', minimum: 64, maximum: 2048, multipleOf: 8, default: 512 };
const input = (properties: Record<string, SchemaObject>, required: string[] = ['imageId'], extra: SchemaObject = {}): SchemaObject => ({
  type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false, ...extra,
});

const generation: Record<string, SchemaObject> = {
  prompt: { type: 'string', minLength: 1, maxLength: 2000, example: 'a lighthouse at dusk, oil painting' },
  templateId: { type: 'string', format: 'uuid', description: 'Instead of prompt: render this template with subject' },
  subject: { type: 'string', maxLength: 500 },
  variables: { type: 'object', additionalProperties: { type: 'string' }, description: 'Template placeholders' },
  templateVersion: { type: 'integer', minimum: 1, description: 'Template version (default: latest)' },
  negativePrompt: { type: 'string', maxLength: 2000 },
  width: side,
  height: side,
  steps: { type: 'integer', minimum: 1, maximum: 150, default: 20 },
  guidance: { type: 'number', minimum: 0, maximum: 30, default: 7 },
  seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'Default: derived from the job id' },
  batch: { type: 'integer', minimum: 1, maximum: 8, default: 1 },
  scheduler: { type: 'string', enum: ['euler', 'euler-a', 'ddim', 'lcm'] },
};
const promptOrTemplate: SchemaObject = { oneOf: [{ required: ['prompt'] }, { required: ['templateId', 'subject'] }] };

const INPUTS: Record<JobType, SchemaObject> = {
  txt2img: input(generation, [], promptOrTemplate),
  img2img: input({ ...generation, imageId, strength: { type: 'number', minimum: 0, maximum: 1, default: 0.75 } }, ['imageId'], promptOrTemplate),
  upscale: input({ imageId, scale: { type: 'integer', enum: [2, 4], default: 2 } }),
  ocr: input({ imageId }),
  'detect-faces': input({ imageId }),
  'detect-lines': input({ imageId }),
  resize: input(
    { imageId, width: dimension, height: dimension, fit: { type: 'string', enum: ['cover', 'contain', 'fill', 'inside', 'outside'], default: 'cover' } },
    ['imageId'],
    { anyOf: [{ required: ['width'] }, { required: ['height'] }] },
  ),
  crop: input(
    { imageId, left: { type: 'integer', minimum: 0 }, top: { type: 'integer', minimum: 0 }, width: dimension, height: dimension },
    ['imageId', 'left', 'top', 'width', 'height'],
  ),
  filter: input(
    { imageId, filter: { type: 'string', enum: ['blur', 'sharpen', 'grayscale', 'edges'] }, amount: { type: 'number', minimum: 0.3, maximum: 100 } },
    ['imageId', 'filter'],
  ),
};

const pascal = (type: string) => type.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
const jobName = (type: JobType) => `${pascal(type)}Job`;

const job = (type: JobType): SchemaObject => ({
  type: 'object',
  required: ['type', 'input'],
  properties: {
    type: { type: 'string', enum: [type] },
    model: { type: 'string', maxLength: 100, description: 'A model id of GET /v1/models that does this type (default per type)' },
    input: ref(`${pascal(type)}Input`),
    webhookUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'POSTed job.succeeded / job.failed / job.canceled' },
  },
});

/** Components for openapi.ts to register: JobRequest (oneOf by `type`), one XxxJob and XxxInput per type. */
export const JOB_REQUEST_SCHEMAS: Record<string, SchemaObject> = {
  JobRequest: {
    oneOf: JOB_TYPES.map((type) => ref(jobName(type))),
    discriminator: { propertyName: 'type', mapping: Object.fromEntries(JOB_TYPES.map((type) => [type, `#/components/schemas/${jobName(type)}`])) },
  },
  ...Object.fromEntries(JOB_TYPES.flatMap((type) => [[jobName(type), job(type)], [`${pascal(type)}Input`, INPUTS[type]]])),
};

export const JOB_REQUEST_REF = ref('JobRequest');
