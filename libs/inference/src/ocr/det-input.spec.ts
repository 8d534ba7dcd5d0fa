import { describe, expect, it } from 'vitest';
import { detInput, detInputSize, imageNetNchw } from './det-input';

describe('detInputSize', () => {
  it('keeps small images near their size, snapped to multiples of 32', () => {
    expect(detInputSize(800, 200)).toEqual({ width: 800, height: 192 });
    expect(detInputSize(10, 5)).toEqual({ width: 32, height: 32 });
  });

  it('shrinks the longest side to at most 960', () => {
    expect(detInputSize(4000, 3000)).toEqual({ width: 960, height: 736 });
    expect(detInputSize(1000, 2000, 960)).toEqual({ width: 480, height: 960 });
  });
});

describe('imageNetNchw', () => {
  it('normalises each channel with ImageNet mean/std into planes', () => {
    const data = Uint8Array.from([255, 0, 0, 0, 255, 0]); // red, green; 2x1
    const out = imageNetNchw({ data, width: 2, height: 1 });
    expect(out).toHaveLength(6);
    expect(out[0]).toBeCloseTo((1 - 0.485) / 0.229, 5); // R plane: red pixel
    expect(out[1]).toBeCloseTo(-0.485 / 0.229, 5); // R plane: green pixel
    expect(out[3]).toBeCloseTo((1 - 0.456) / 0.224, 5); // G plane: green pixel
    expect(out[4]).toBeCloseTo(-0.406 / 0.225, 5); // B plane
  });

  it('writes into the array it is given, which must fit the image', () => {
    const image = { data: Uint8Array.from([255, 0, 0, 0, 255, 0]), width: 2, height: 1 };
    const out = new Float32Array(6).fill(99);
    expect(imageNetNchw(image, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(imageNetNchw(image)));
    expect(() => imageNetNchw(image, new Float32Array(5))).toThrow(/5 floats given for 2x1x3/);
  });

  it('builds the resized tensor data', async () => {
    const image = { data: new Uint8Array(100 * 40 * 3).fill(128), width: 100, height: 40 };
    const input = await detInput(image);
    expect({ width: input.width, height: input.height, length: input.data.length }).toEqual({ width: 96, height: 32, length: 3 * 96 * 32 });
  });
});
