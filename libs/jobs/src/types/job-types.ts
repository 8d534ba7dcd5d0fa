import Joi from 'joi';

export const JOB_TYPES = [
  'txt2img', 'img2img', 'upscale', 'ocr', 'detect-faces', 'detect-lines', 'resize', 'crop', 'filter',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** Model work goes to the `gpu` lane; plain image operations to the `cpu` lane. */
export type JobLane = 'gpu' | 'cpu';
export const laneOf = (type: JobType): JobLane => (['resize', 'crop', 'filter'].includes(type) ? 'cpu' : 'gpu');

const imageId = Joi.string().guid({ version: ['uuidv4', 'uuidv7'] }).required();
const dimension = Joi.number().integer().min(1).max(8192);
const generation = {
  prompt: Joi.string().trim().min(1).max(2000),
  templateId: Joi.string().guid(),
  subject: Joi.string().max(500),
  negativePrompt: Joi.string().max(2000).allow(''),
  width: Joi.number().integer().min(64).max(2048).multiple(8).default(512),
  height: Joi.number().integer().min(64).max(2048).multiple(8).default(512),
  steps: Joi.number().integer().min(1).max(150).default(20),
  guidance: Joi.number().min(0).max(30).default(7),
  seed: Joi.number().integer().min(0).max(2 ** 32 - 1),
  batch: Joi.number().integer().min(1).max(8).default(1),
  scheduler: Joi.string().valid('euler', 'euler-a', 'ddim', 'lcm'),
};

/** The input schema of every job type: validated in the API (422), never first in the worker. */
export const JOB_INPUT_SCHEMAS: Record<JobType, Joi.ObjectSchema> = {
  txt2img: Joi.object(generation).xor('prompt', 'templateId').with('templateId', 'subject'),
  img2img: Joi.object({ ...generation, imageId, strength: Joi.number().min(0).max(1).default(0.75) })
    .xor('prompt', 'templateId')
    .with('templateId', 'subject'),
  upscale: Joi.object({ imageId, scale: Joi.number().valid(2, 4).default(2) }),
  ocr: Joi.object({ imageId }),
  'detect-faces': Joi.object({ imageId }),
  'detect-lines': Joi.object({ imageId }),
  resize: Joi.object({
    imageId,
    width: dimension,
    height: dimension,
    fit: Joi.string().valid('cover', 'contain', 'fill', 'inside', 'outside').default('cover'),
  }).or('width', 'height'),
  crop: Joi.object({
    imageId,
    left: Joi.number().integer().min(0).required(),
    top: Joi.number().integer().min(0).required(),
    width: dimension.required(),
    height: dimension.required(),
  }),
  filter: Joi.object({
    imageId,
    filter: Joi.string().valid('blur', 'sharpen', 'grayscale', 'edges').required(),
    amount: Joi.number().min(0.3).max(100),
  }),
};
