import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { CLASSIC_STYLES } from '@atelier/workflows';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

export const stylize = defineJobType({
  type: 'stylize',
  lane: 'cpu',
  description: 'Classical styles, not neural style transfer: cartoon, sketch, pencil-color, posterize or oil',
  input: z.strictObject({ imageId, style: z.enum(CLASSIC_STYLES) }),
  outputs: [{ kind: 'image', description: 'The styled image, PNG, the input size (at most 2048 px a side)' }],
  cost: PRICES.imageOperation,
  attemptTimeoutMs: 60_000,
  usesModel: false,
});
