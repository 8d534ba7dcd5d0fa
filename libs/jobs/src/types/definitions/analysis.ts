import { z } from 'zod';
import { PRICES } from '@atelier/billing';
import { defineJobType } from '../job-type-definition';
import { imageId } from '../input-fields';

const imageOnly = z.strictObject({ imageId });

export const ocr = defineJobType({
  type: 'ocr',
  lane: 'gpu',
  jobClass: 'light',
  description: 'Reads the text in an image (PaddleOCR)',
  input: imageOnly,
  outputs: [{ kind: 'json', description: '{text, lines: [{text, confidence, box: [[x, y] × 4]}]}' }],
  cost: PRICES.analysis,
  attemptTimeoutMs: 60_000,
  usesModel: false,
});

export const detectFaces = defineJobType({
  type: 'detect-faces',
  lane: 'gpu',
  jobClass: 'light',
  description: 'Finds faces (BlazeFace), with six keypoints each',
  input: imageOnly,
  outputs: [{ kind: 'json', description: '{faces: [{box: {x, y, width, height}, score, keypoints: [{x, y}]}]}' }],
  cost: PRICES.analysis,
  attemptTimeoutMs: 60_000,
  usesModel: false,
});

export const detectLines = defineJobType({
  type: 'detect-lines',
  lane: 'gpu',
  jobClass: 'light',
  description: 'Finds straight line segments (M-LSD) and draws them as a line map',
  input: imageOnly,
  outputs: [
    { kind: 'json', description: '{segments: [{x1, y1, x2, y2, score}]}' },
    { kind: 'image', description: 'The line map: white segments on black, the input size' },
  ],
  cost: PRICES.analysis,
  attemptTimeoutMs: 60_000,
  usesModel: false,
});
