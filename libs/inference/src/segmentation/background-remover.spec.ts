import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCache } from '../runtime/model-cache';
import { facePhoto, prepareTestModels, removeTempDirs, testModelCache } from '../testing/test-models';
import { BackgroundRemover } from './background-remover';

describe('BackgroundRemover (MediaPipe selfie, imported, guided-filter refinement)', () => {
  let cache: ModelCache;
  let remover: BackgroundRemover;

  beforeAll(async () => {
    cache = testModelCache(await prepareTestModels()).cache;
    remover = new BackgroundRemover(cache);
  });
  afterAll(async () => {
    await cache.close();
    removeTempDirs();
  });

  it('keeps the people of a real photo and drops the room, as an RGBA PNG at the input size', async () => {
    // sample1.jpg (1920×1280): three people in the middle, a dark wall and pictures at the top left.
    const photo = await sharp(await readFile(facePhoto(1))).resize(960, 640).jpeg().toBuffer();
    const cut = await remover.cutOut(photo);
    expect(cut).toMatchObject({ width: 960, height: 640, model: 'mediapipe-selfie' });
    const { data, info } = await sharp(cut.png).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 960, height: 640, channels: 4 });
    const alpha = (x: number, y: number) => data[(y * 960 + x) * 4 + 3];
    expect(alpha(20, 20)).toBe(0); // the wall, top left
    expect(alpha(470, 40)).toBe(0); // the wall above the middle woman
    expect(alpha(250, 240)).toBe(255); // the left woman's face
    expect(alpha(460, 260)).toBe(255); // the middle woman's face
    expect(alpha(790, 170)).toBe(255); // the right woman's face
    expect(cut.coverage).toBeGreaterThan(0.2);
    expect(cut.coverage).toBeLessThan(0.7);
  });
});
