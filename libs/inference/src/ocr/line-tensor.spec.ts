import { describe, expect, it } from 'vitest';
import { LINE_HEIGHT, lineTensor, lineWidth } from './line-tensor';
import type { RgbImage } from './rgb-image';

const solid = (width: number, height: number, value: number): RgbImage => ({ width, height, data: new Uint8Array(width * height * 3).fill(value) });

describe('lineTensor', () => {
  it('scales to height 48 keeping the aspect, capped at the batch width', () => {
    expect(lineWidth(solid(100, 24, 0), 320)).toBe(200);
    expect(lineWidth(solid(1000, 24, 0), 320)).toBe(320);
    expect(lineWidth(solid(1, 200, 0), 320)).toBe(1);
  });

  it('maps RGB to [-1, 1] in NCHW and pads the right with 0', async () => {
    const out = await lineTensor([solid(50, 24, 255), solid(10, 48, 0)], 120);
    const plane = LINE_HEIGHT * 120;
    expect(out).toHaveLength(2 * 3 * plane);
    expect(out[0]).toBe(1); // first crop, R, (0,0)
    expect(out[2 * plane + 47 * 120 + 99]).toBe(1); // first crop, B, last column of its 100
    expect(out[2 * plane + 47 * 120 + 100]).toBe(0); // padding
    expect(out[3 * plane + 9]).toBe(-1); // second crop, R, its 10th column
    expect(out[3 * plane + 10]).toBe(0);
  });
});
