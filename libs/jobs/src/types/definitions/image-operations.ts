import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType, type JobOutputDescription } from '../job-type-definition';
import { imageId } from '../input-fields';

const dimension = z.int().min(1).max(8192);
const OPERATION_OUTPUT: JobOutputDescription[] = [{ kind: 'image', description: 'The result, in the input format (PNG, JPEG or WebP)' }];
const OPERATION = { lane: 'cpu', outputs: OPERATION_OUTPUT, cost: PRICES.imageOperation, attemptTimeoutMs: 60_000, usesModel: false } as const;

export const RESIZE_FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;

export const resize = defineJobType({
  ...OPERATION,
  type: 'resize',
  description: 'Resizes an image to a width, a height or both',
  input: z
    .strictObject({ imageId, width: dimension.optional(), height: dimension.optional(), fit: z.enum(RESIZE_FITS).default('cover') })
    .refine((input) => input.width !== undefined || input.height !== undefined, { message: 'or height is required (or both)', path: ['width'] })
    .meta({ anyOf: [{ required: ['width'] }, { required: ['height'] }] }),
});

export const crop = defineJobType({
  ...OPERATION,
  type: 'crop',
  description: 'Cuts a rectangle out of an image',
  input: z.strictObject({ imageId, left: z.int().min(0), top: z.int().min(0), width: dimension, height: dimension }),
});

export const FILTERS = ['blur', 'sharpen', 'grayscale', 'edges'] as const;

export const filter = defineJobType({
  ...OPERATION,
  type: 'filter',
  description: 'Blur, sharpen, greyscale or an edge map',
  input: z.strictObject({ imageId, filter: z.enum(FILTERS), amount: z.number().min(0.3).max(100).optional().describe('Blur or sharpen sigma') }),
});
