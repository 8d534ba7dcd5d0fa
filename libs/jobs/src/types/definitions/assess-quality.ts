import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

export const assessQuality = defineJobType({
  type: 'assess-quality',
  lane: 'cpu',
  description: 'A no-reference quality estimate: sharpness, exposure, noise and colourfulness, and a 0–100 score (classical, no model)',
  input: z.strictObject({ imageId }),
  outputs: [{ kind: 'json', description: '{score (0..100), sharpness, exposure, noise, colorfulness (each 0..1), measurements}' }],
  cost: PRICES.analysis,
  attemptTimeoutMs: 60_000,
  usesModel: false,
});
