import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATTERN_GENERATOR_IO, buildPatternGenerator, patternCoords, writePatternGenerator } from './pattern-generator';
import { SeededRandom } from './seeded-random';

const WIDTH = 48;
const HEIGHT = 32;

function stats(values: Float32Array): { min: number; max: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { min: Math.min(...values), max: Math.max(...values), std: Math.sqrt(variance) };
}

describe('writePatternGenerator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-pattern-'));
  let session: ort.InferenceSession;

  beforeAll(async () => {
    writePatternGenerator(dir);
    session = await ort.InferenceSession.create(join(dir, PATTERN_GENERATOR_IO.file), { executionProviders: ['cpu'] });
  });
  afterAll(async () => {
    await session?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  async function render(latents: Float32Array, batch: number): Promise<Float32Array[]> {
    const { rgb } = await session.run({
      coords: new ort.Tensor('float32', patternCoords(WIDTH, HEIGHT), [WIDTH * HEIGHT, 3]),
      latent: new ort.Tensor('float32', latents, [batch, PATTERN_GENERATOR_IO.latentSize]),
    });
    expect(rgb.dims).toEqual([batch, WIDTH * HEIGHT, 3]);
    const data = rgb.data;
    if (!(data instanceof Float32Array)) throw new Error('expected float32 rgb');
    const size = WIDTH * HEIGHT * 3;
    return Array.from({ length: batch }, (_, b) => data.subarray(b * size, (b + 1) * size));
  }

  it('has inputs coords [pixels, 3] and latent [batch, 16], output rgb [batch, pixels, 3]', () => {
    expect(session.inputNames).toEqual(['coords', 'latent']);
    expect(session.outputNames).toEqual(['rgb']);
    expect(session.inputMetadata).toEqual([
      { name: 'coords', isTensor: true, type: 'float32', shape: ['pixels', 3] },
      { name: 'latent', isTensor: true, type: 'float32', shape: ['batch', 16] },
    ]);
  });

  it('renders structured, non-constant images in [0, 1] that differ between latents', async () => {
    const [first, second] = await render(new SeededRandom(7).normal(2 * PATTERN_GENERATOR_IO.latentSize, 1), 2);
    for (const image of [first, second]) {
      const { min, max, std } = stats(image);
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeLessThanOrEqual(1);
      expect(std).toBeGreaterThan(0.05);
    }
    const meanDiff = first.reduce((sum, v, i) => sum + Math.abs(v - second[i]), 0) / first.length;
    expect(meanDiff).toBeGreaterThan(0.05);
  });

  it('gives the same image for the same latent, alone or in a batch', async () => {
    const latents = new SeededRandom(11).normal(2 * PATTERN_GENERATOR_IO.latentSize, 1);
    const [, batched] = await render(latents, 2);
    const [alone] = await render(latents.slice(PATTERN_GENERATOR_IO.latentSize), 1);
    expect(Array.from(alone)).toEqual(Array.from(batched));
  });

  it('is byte-identical across builds', () => {
    expect(Buffer.from(buildPatternGenerator()).equals(readFileSync(join(dir, PATTERN_GENERATOR_IO.file)))).toBe(true);
  });
});

describe('patternCoords', () => {
  it('lists pixel centres row by row, x and y in [-1, 1], r the distance from the centre', () => {
    const coords = patternCoords(4, 2);
    expect(coords).toHaveLength(4 * 2 * 3);
    expect(Array.from(coords.subarray(0, 3))).toEqual([-0.75, -0.5, Math.fround(Math.hypot(0.75, 0.5))]);
    // Second pixel of the first row: x moves, y stays.
    expect(Array.from(coords.subarray(3, 5))).toEqual([-0.25, -0.5]);
    // First pixel of the second row.
    expect(Array.from(coords.subarray(12, 14))).toEqual([-0.75, 0.5]);
  });
});
