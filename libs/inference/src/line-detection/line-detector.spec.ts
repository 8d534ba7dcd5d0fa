import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCache } from '../runtime/model-cache';
import { testModelCache } from '../testing/test-models';
import { prepareModels } from '../models/prepare-models';
import { LineDetector } from './line-detector';

/** Straight lines drawn with SVG come back as segments with the right ends (real M-LSD model). */
describe('LineDetector (M-LSD tiny, real model)', () => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'atelier-mlsd-'));
  let detector: LineDetector;
  let cache: ModelCache;

  beforeAll(async () => {
    const manifestsDir = join(process.cwd(), 'models');
    await prepareModels({ manifestsDir, modelsDir, log: () => undefined });
    cache = testModelCache(modelsDir).cache;
    detector = new LineDetector(cache);
  });
  afterAll(async () => {
    await cache.close();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  const drawing = (lines: string) =>
    sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="white"/>${lines}</svg>`)).png().toBuffer();

  it('finds a horizontal and a vertical line, in input pixels', async () => {
    const image = await drawing('<line x1="80" y1="90" x2="560" y2="90" stroke="black" stroke-width="6"/><line x1="320" y1="150" x2="320" y2="450" stroke="black" stroke-width="6"/>');
    const { segments, width, height } = await detector.detect(image);
    expect({ width, height }).toEqual({ width: 640, height: 480 });
    const horizontal = segments.find((s) => Math.abs(s.y1 - 90) < 12 && Math.abs(s.y2 - 90) < 12 && Math.abs(s.x2 - s.x1) > 300);
    const vertical = segments.find((s) => Math.abs(s.x1 - 320) < 12 && Math.abs(s.x2 - 320) < 12 && Math.abs(s.y2 - s.y1) > 200);
    expect(horizontal, JSON.stringify(segments)).toBeDefined();
    expect(vertical, JSON.stringify(segments)).toBeDefined();
    expect(Math.min(vertical!.y1, vertical!.y2)).toBeLessThan(190);
    expect(Math.max(vertical!.y1, vertical!.y2)).toBeGreaterThan(410);
  });

  it('finds nothing long in a blank image, and renders a line map of the input size', async () => {
    const blank = await drawing('');
    expect((await detector.detect(blank)).segments).toEqual([]);
    const map = await detector.renderLineMap([{ x1: 0, y1: 10, x2: 100, y2: 10, score: 1 }], 200, 100);
    const { data, info } = await sharp(map).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 200, height: 100 });
    expect(data[(10 * 200 + 50) * info.channels]).toBeGreaterThan(200); // on the line: white
    expect(data[(50 * 200 + 50) * info.channels]).toBe(0); // elsewhere: black
  });
});
