import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

export const detectCorruption = defineJobType({
  type: 'detect-corruption',
  lane: 'cpu',
  description: 'Flags garbled images ("flower screen"): a partly decoded file, grey or green blocks, stripes, shuffled blocks (classical, no model)',
  input: z.strictObject({ imageId }),
  outputs: [{ kind: 'json', description: '{corrupted, reasons: [...], scores: {greyBlocks, greenBlocks, partialFill, stripes, blockSeams}}' }],
  cost: PRICES.analysis,
  attemptTimeoutMs: 60_000,
  usesModel: false,
});
