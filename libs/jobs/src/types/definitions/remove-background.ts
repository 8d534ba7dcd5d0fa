import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

export const removeBackground = defineJobType({
  type: 'remove-background',
  lane: 'gpu',
  description: 'Portrait cut-out (MediaPipe selfie segmentation, refined at the input resolution): the people kept, the rest transparent',
  input: z.strictObject({ imageId }),
  outputs: [
    { kind: 'image', description: 'RGBA PNG at the input size' },
    { kind: 'json', description: '{coverage, model}: the share of the image kept (0..1) and the model' },
  ],
  cost: PRICES.analysis,
  attemptTimeoutMs: 60_000,
  usesModel: false,
});
