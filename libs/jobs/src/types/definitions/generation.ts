import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType, type JobOutputDescription } from '../job-type-definition';
import { checkSigmaSchedule, generationFields, generationWorkload, imageId, promptOrTemplate } from '../input-fields';

const GENERATION_OUTPUTS: JobOutputDescription[] = [
  { kind: 'image', description: 'One PNG per batch item, each with the seed that made it' },
  { kind: 'json', description: '{model, provider, seeds, batchedWith, degradations}' },
];

/** Ten credits for a 512×512, 20-step image; more pixels, steps or images cost proportionally more. */
const GENERATION_COST = PRICES.generation;

export const txt2img = defineJobType({
  type: 'txt2img',
  lane: 'gpu',
  description: 'Text to image with a generation model (DEFAULT_TXT2IMG_MODEL unless `model` names one)',
  input: promptOrTemplate(z.strictObject(generationFields).superRefine(checkSigmaSchedule)),
  outputs: GENERATION_OUTPUTS,
  cost: GENERATION_COST,
  attemptTimeoutMs: 120_000,
  usesModel: true,
  defaultModelSetting: 'DEFAULT_TXT2IMG_MODEL',
  workload: generationWorkload,
  promptFields: ['prompt', 'negativePrompt'],
  // Without a seed the worker derives one from the job id: another job, another image.
  deterministic: (input) => input.seed !== undefined,
});

export const img2img = defineJobType({
  type: 'img2img',
  lane: 'gpu',
  description: 'Image to image: your image noised by `strength`, then denoised towards the prompt',
  input: promptOrTemplate(
    z.strictObject({
      ...generationFields,
      imageId,
      strength: z.number().min(0).max(1).default(0.75).describe('How far from the input image: 0 keeps it, 1 ignores it'),
      maskImageId: imageId.optional().describe('Inpainting: an image of yours, white where the image is repainted, black where it is kept'),
    }).superRefine(checkSigmaSchedule),
  ),
  outputs: GENERATION_OUTPUTS,
  cost: GENERATION_COST,
  attemptTimeoutMs: 120_000,
  usesModel: true,
  defaultModelSetting: 'DEFAULT_IMG2IMG_MODEL',
  workload: generationWorkload,
  promptFields: ['prompt', 'negativePrompt'],
  // Without a seed the worker derives one from the job id: another job, another image.
  deterministic: (input) => input.seed !== undefined,
});
