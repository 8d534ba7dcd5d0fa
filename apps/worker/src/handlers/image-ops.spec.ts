import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { gradientPng } from '../../../../test/support/images';
import { cropImage, filterImage, resizeImage } from './image-ops';

describe('image operations (sharp)', () => {
  it('resizes to the requested box and keeps the format', async () => {
    const out = await resizeImage(await gradientPng(64, 48), { width: 16, height: 16, fit: 'cover' });
    expect(await sharp(out).metadata()).toMatchObject({ width: 16, height: 16, format: 'png' });
    const jpeg = await sharp(await gradientPng()).jpeg().toBuffer();
    expect((await sharp(await resizeImage(jpeg, { width: 10, fit: 'inside' })).metadata()).format).toBe('jpeg');
  });

  it('crops the exact rectangle and refuses one outside the image', async () => {
    const source = await gradientPng(64, 48);
    const out = await cropImage(source, { left: 32, top: 0, width: 32, height: 10 });
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 32, height: 10 });
    expect(data[0]).toBe(128); // red channel at x=32 of a 0..255 horizontal gradient
    await expect(cropImage(source, { left: 60, top: 0, width: 10, height: 10 })).rejects.toMatchObject({ code: 'CROP_OUT_OF_BOUNDS' });
  });

  it('grayscale makes the channels equal; edges of a flat image are black', async () => {
    const gray = await filterImage(await gradientPng(), { filter: 'grayscale' });
    const { data, info } = await sharp(gray).raw().toBuffer({ resolveWithObject: true });
    if (info.channels >= 3) expect(data[30 * 3]).toBe(data[30 * 3 + 1]);
    const flat = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#808080' } }).png().toBuffer();
    const edges = await sharp(await filterImage(flat, { filter: 'edges' })).raw().toBuffer();
    expect(Math.max(...edges.subarray(20 * 5, 20 * 15))).toBe(0);
  });
});
