import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCache } from '../runtime/model-cache';
import { facePhoto, MANIFESTS_DIR, prepareTestModels, removeTempDirs, testModelCache } from '../testing/test-models';
import { SuperResolution } from './super-resolution';

const psnr = (a: Buffer, b: Buffer): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return 10 * Math.log10(255 ** 2 / (sum / a.length));
};

/** A 48·s square crop of a real photo, its ×s bicubic downscale (as DIV2K's LR images are made), and that brought back with bicubic. */
async function degraded(left: number, top: number, s: number) {
  const size = 48 * s;
  const original = await sharp(facePhoto(1)).extract({ left, top, width: size, height: size }).removeAlpha().raw().toBuffer();
  const raw = (w: number) => ({ raw: { width: w, height: w, channels: 3 as const } });
  const small = await sharp(original, raw(size)).resize(48, 48, { kernel: 'cubic' }).png().toBuffer();
  const bicubic = await sharp(small).resize(size, size, { kernel: 'cubic' }).removeAlpha().raw().toBuffer();
  return { original, small, bicubic };
}

describe('SuperResolution with the imported UpscalerJS models (real photo)', () => {
  let modelsDir: string;
  let cache: ModelCache;
  let sr: SuperResolution;

  beforeAll(async () => {
    modelsDir = await prepareTestModels();
    const made = testModelCache(modelsDir);
    cache = made.cache;
    sr = new SuperResolution(made.registry, cache, { modelsDir, manifestsDir: MANIFESTS_DIR, executionProviders: ['cpu'], upscaleModel: 'esrgan-gans-x4' });
  });
  afterAll(async () => {
    await cache.close();
    removeTempDirs();
  });

  // Two face crops of face-api's sample1.jpg (a face, and a face with hair and a badge).
  it.each([
    [400, 330],
    [1440, 560],
  ])('the GAN-trained ×4 model beats bicubic in PSNR on a ×4-downscaled crop at (%d, %d)', async (left, top) => {
    const { original, small, bicubic } = await degraded(left, top, 4);
    const result = await sr.upscale(small, 4, 'esrgan-gans-x4');
    expect(result).toMatchObject({ width: 192, height: 192, model: 'esrgan-gans-x4', modelScale: 4 });
    const learned = await sharp(result.png).removeAlpha().raw().toBuffer();
    const [ours, theirs] = [psnr(original, learned), psnr(original, bicubic)];
    expect(ours).toBeGreaterThan(theirs + 0.3);
  });

  it('runs the PSNR-trained ×2 and ×3 models at their own scale, faithfully', async () => {
    for (const [model, s] of [['esrgan-psnr-x2', 2], ['esrgan-psnr-x3', 3]] as const) {
      const { original, small } = await degraded(400, 330, s);
      const result = await sr.upscale(small, s, model);
      expect(result).toMatchObject({ width: 48 * s, model, modelScale: s, tiles: 1 });
      expect(psnr(original, await sharp(result.png).removeAlpha().raw().toBuffer())).toBeGreaterThan(30);
    }
  });
});
