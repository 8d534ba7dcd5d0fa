import { describe, expect, it } from 'vitest';
import { cropBox } from './crop-box';
import type { RgbImage } from './rgb-image';

/** 20x10 image: red = x * 10, green = y * 20. */
const gradient: RgbImage = {
  width: 20,
  height: 10,
  data: Uint8Array.from({ length: 20 * 10 * 3 }, (_, i) => {
    const pixel = Math.floor(i / 3);
    return i % 3 === 0 ? (pixel % 20) * 10 : i % 3 === 1 ? Math.floor(pixel / 20) * 20 : 0;
  }),
};
const at = (image: RgbImage, x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));

describe('cropBox', () => {
  it('copies an axis-aligned box pixel for pixel', () => {
    const crop = cropBox(gradient, [[4, 2], [12, 2], [12, 6], [4, 6]]);
    expect({ width: crop.width, height: crop.height }).toEqual({ width: 8, height: 4 });
    expect(at(crop, 0, 0)).toEqual([40, 40, 0]);
    expect(at(crop, 7, 3)).toEqual([110, 100, 0]);
  });

  it('straightens a box given with its top edge on the right (a quarter-turned line)', () => {
    // Top-left at (10,1), top-right at (10,9): the line runs downwards, so the crop reads along y.
    const crop = cropBox(gradient, [[10, 1], [10, 9], [6, 9], [6, 1]]);
    expect({ width: crop.width, height: crop.height }).toEqual({ width: 8, height: 4 });
    expect(at(crop, 0, 0)).toEqual([90, 20, 0]);
    expect(at(crop, 7, 0)).toEqual([90, 160, 0]);
  });

  it('turns a tall crop a quarter counter-clockwise (vertical text)', () => {
    const crop = cropBox(gradient, [[2, 0], [4, 0], [4, 8], [2, 8]]);
    expect({ width: crop.width, height: crop.height }).toEqual({ width: 8, height: 2 });
    expect(at(crop, 0, 0)).toEqual([30, 0, 0]); // the old top-right
  });
});
