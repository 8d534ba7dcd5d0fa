import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeRgb, resizeRgb, type RgbImage, rotate180, rotate90CounterClockwise } from './rgb-image';

/** 3x2 image whose red channel is the pixel index (0..5). */
const indexed: RgbImage = { width: 3, height: 2, data: Uint8Array.from({ length: 18 }, (_, i) => (i % 3 === 0 ? i / 3 : 0)) };
const reds = (image: RgbImage) => Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 3]);

describe('rgb-image', () => {
  it('turns 180 degrees', () => {
    expect(reds(rotate180(indexed))).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it('turns a quarter counter-clockwise, swapping the sides', () => {
    // 0 1 2        2 5
    // 3 4 5   ->   1 4
    //              0 3
    const turned = rotate90CounterClockwise(indexed);
    expect({ width: turned.width, height: turned.height }).toEqual({ width: 2, height: 3 });
    expect(reds(turned)).toEqual([2, 5, 1, 4, 0, 3]);
  });

  it('decodes to RGB with transparency flattened onto white, and resizes', async () => {
    const png = await sharp({ create: { width: 4, height: 2, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const image = await decodeRgb(png);
    expect({ width: image.width, height: image.height, length: image.data.length }).toEqual({ width: 4, height: 2, length: 24 });
    expect(new Set(image.data)).toEqual(new Set([255]));
    const resized = await resizeRgb(image, 8, 3);
    expect({ width: resized.width, height: resized.height, length: resized.data.length }).toEqual({ width: 8, height: 3, length: 72 });
  });

  it('says what it could not read', async () => {
    await expect(decodeRgb(Buffer.from('not an image'))).rejects.toThrow(/Cannot read image for OCR/);
  });
});
