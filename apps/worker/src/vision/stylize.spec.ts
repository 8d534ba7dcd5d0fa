import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeRgb, lumaOf, type RgbPixels } from './rgb-pixels';
import { CLASSIC_STYLES as STYLES } from '@atelier/workflows';
import { stylize } from './stylize';
import { assessPixels } from './quality-assessment';
import { demoPhoto } from './testing/corrupted-photos';

const distinctColours = ({ data }: RgbPixels) => {
  const colours = new Set<number>();
  for (let p = 0; p < data.length; p += 3) colours.add((data[p] << 16) | (data[p + 1] << 8) | data[p + 2]);
  return colours.size;
};
/** The median |luma step| to the right neighbour: small where areas are flat, whatever the edges do. */
const medianStep = (pixels: RgbPixels) => {
  const luma = lumaOf(pixels);
  const steps: number[] = [];
  for (let i = 0; i + 1 < luma.length; i++) if ((i + 1) % pixels.width) steps.push(Math.abs(luma[i + 1] - luma[i]));
  return steps.sort((a, b) => a - b)[Math.floor(steps.length / 2)];
};
const mean = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0) / values.length;

describe('stylize (classical filters) on a real photo', () => {
  let photo: Buffer;
  let input: RgbPixels;
  const styled = new Map<string, RgbPixels>();

  beforeAll(async () => {
    photo = await sharp(demoPhoto(2)).resize(320).jpeg({ quality: 90 }).toBuffer();
    input = await decodeRgb(photo);
    for (const style of STYLES) styled.set(style, await decodeRgb(await stylize(photo, style)));
  }, 60_000);

  it('keeps the size in every style and changes the picture', () => {
    for (const style of STYLES) {
      const out = styled.get(style)!;
      expect([out.width, out.height]).toEqual([input.width, input.height]);
      expect(Buffer.compare(Buffer.from(out.data), Buffer.from(input.data))).not.toBe(0);
    }
  });

  it('posterize leaves 4 levels a channel', () => {
    const levels = new Set(styled.get('posterize')!.data);
    expect([...levels].sort((a, b) => a - b)).toEqual([0, 85, 170, 255].filter((v) => levels.has(v)));
    expect(levels.size).toBeLessThanOrEqual(4);
  });

  it('sketch is grey, mostly paper-white, with dark strokes', () => {
    const { data } = styled.get('sketch')!;
    for (let p = 0; p < data.length; p += 3) expect(data[p] === data[p + 1] && data[p] === data[p + 2]).toBe(true);
    const luma = lumaOf(styled.get('sketch')!);
    expect(mean(luma)).toBeGreaterThan(mean(lumaOf(input)) + 40);
    expect(Array.from(luma).filter((v) => v < 100).length).toBeGreaterThan(luma.length * 0.005);
  });

  it('pencil-color keeps some colour, unlike sketch', () => {
    expect(assessPixels(styled.get('pencil-color')!).measurements.colorfulnessM).toBeGreaterThan(5);
    expect(assessPixels(styled.get('sketch')!).measurements.colorfulnessM).toBe(0);
  });

  it('cartoon flattens colours and draws dark edges', () => {
    const cartoon = styled.get('cartoon')!;
    expect(distinctColours(cartoon)).toBeLessThan(distinctColours(input) / 4);
    expect(Array.from(lumaOf(cartoon)).filter((v) => v <= 21).length).toBeGreaterThan(0);
  });

  it('oil flattens fine texture into strokes and keeps the mean colour', () => {
    const oil = styled.get('oil')!;
    expect(medianStep(oil)).toBeLessThan(medianStep(input) * 0.75);
    expect(Math.abs(mean(lumaOf(oil)) - mean(lumaOf(input)))).toBeLessThan(12);
  });
});
