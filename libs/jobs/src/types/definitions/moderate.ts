import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

export const moderate = defineJobType({
  type: 'moderate',
  lane: 'gpu',
  description: 'Classifies an image for adult content (nsfwjs MobileNetV2): five scores and whether the policy flags it; stored with the image',
  input: z.strictObject({ imageId }),
  outputs: [{ kind: 'json', description: '{labels: {drawing, hentai, neutral, porn, sexy}, flagged, model}' }],
  cost: PRICES.analysis,
  attemptTimeoutMs: 60_000,
  usesModel: false,
});
