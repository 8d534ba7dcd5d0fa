import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

export const upscale = defineJobType({
  type: 'upscale',
  lane: 'gpu',
  description: 'Enlarges an image ×2 or ×4: tiled super-resolution when UPSCALE_MODEL names a model, else Lanczos',
  input: z.strictObject({ imageId, scale: z.literal([2, 4]).default(2) }),
  outputs: [
    { kind: 'image', description: 'The enlarged image' },
    { kind: 'json', description: '{method, model?, scale, modelScale?, tiles?, provider?}: what ran' },
  ],
  cost: PRICES.upscale,
  attemptTimeoutMs: 120_000,
  usesModel: false,
});
