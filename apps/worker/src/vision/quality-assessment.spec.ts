import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessQuality, type QualityAssessment } from './quality-assessment';
import { demoPhoto, prng } from './testing/corrupted-photos';

async function withNoise(jpeg: Buffer, sigma: number): Promise<Buffer> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const random = prng(7);
  for (let i = 0; i < data.length; i++) {
    const gaussian = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
    data[i] = Math.max(0, Math.min(255, Math.round(data[i] + sigma * gaussian)));
  }
  return sharp(data, { raw: info }).png().toBuffer();
}

describe('assessQuality on a real photo and its degraded copies', () => {
  let photo: Buffer;
  let original: QualityAssessment;

  beforeAll(async () => {
    photo = await sharp(demoPhoto(3)).resize(640).jpeg({ quality: 90 }).toBuffer();
    original = await assessQuality(photo);
  });

  it('gives components in 0..1 and a score in 0..100', () => {
    for (const key of ['sharpness', 'exposure', 'noise', 'colorfulness'] as const) {
      expect(original[key]).toBeGreaterThanOrEqual(0);
      expect(original[key]).toBeLessThanOrEqual(1);
    }
    expect(original.score).toBeGreaterThan(70);
    expect(original.score).toBeLessThanOrEqual(100);
  });

  it('scores a blurred copy less sharp and lower overall', async () => {
    const blurred = await assessQuality(await sharp(photo).blur(3).toBuffer());
    expect(blurred.sharpness).toBeLessThan(original.sharpness / 3);
    expect(blurred.score).toBeLessThan(original.score - 10);
  });

  it('scores an underexposed copy worse in exposure', async () => {
    const dark = await assessQuality(await sharp(photo).linear(0.25, 0).toBuffer());
    expect(dark.exposure).toBeLessThan(original.exposure - 0.4);
    expect(dark.measurements.meanLuma).toBeLessThan(original.measurements.meanLuma / 2);
  });

  it('sees added noise and does not take it for detail', async () => {
    const noisy = await assessQuality(await withNoise(photo, 20));
    expect(noisy.noise).toBeGreaterThan(original.noise + 0.4);
    expect(noisy.score).toBeLessThan(original.score - 5);
  });

  it('gives a greyscale copy no colourfulness, the same sharpness', async () => {
    const grey = await assessQuality(await sharp(photo).greyscale().toBuffer());
    expect(grey.colorfulness).toBe(0);
    expect(Math.abs(grey.sharpness - original.sharpness)).toBeLessThan(0.05);
  });

  it('scores the same picture alike at another resolution', async () => {
    const large = await assessQuality(await sharp(demoPhoto(3)).resize(1280).jpeg({ quality: 90 }).toBuffer());
    expect(Math.abs(large.score - original.score)).toBeLessThan(5);
  });
});
