import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

export const upscale = defineJobType({
  type: 'upscale',
  lane: 'gpu',
  description: 'Enlarges an image ×2, ×3 or ×4 with a learned super-resolution model (UPSCALE_MODEL unless `model` names one), or with Lanczos when `method` is "lanczos"',
  input: z.strictObject({
    imageId,
    scale: z.literal([2, 3, 4]).default(2),
    method: z.enum(['super-resolution', 'lanczos']).default('super-resolution'),
  }),
  outputs: [
    { kind: 'image', description: 'The enlarged image' },
    { kind: 'json', description: '{method, model?, scale, modelScale?, tiles?, provider?}: what ran' },
  ],
  cost: PRICES.upscale,
  // The worker's shutdown grace period (deploy/) covers the longest attempt; on a CPU worker this bounds the input size (docs/MODELS.md).
  attemptTimeoutMs: 120_000,
  usesModel: true,
  defaultModelSetting: 'UPSCALE_MODEL',
});
