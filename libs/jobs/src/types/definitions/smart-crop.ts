import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

export const smartCrop = defineJobType({
  type: 'smart-crop',
  lane: 'gpu',
  jobClass: 'light',
  description: 'Crops to width × height around the faces in the image, or around its most salient region when it has none',
  input: z.strictObject({ imageId, width: z.int().min(1).max(8192), height: z.int().min(1).max(8192) }),
  outputs: [
    { kind: 'image', description: 'The crop, width × height (smaller if the image is)' },
    { kind: 'json', description: '{strategy: "faces"|"attention", faces, region: {left, top, width, height}}' },
  ],
  cost: PRICES.analysis,
  attemptTimeoutMs: 60_000,
  usesModel: false,
  modelsOf: ['detect-faces'],
});
