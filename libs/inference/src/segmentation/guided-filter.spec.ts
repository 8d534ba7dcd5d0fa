import { describe, expect, it } from 'vitest';
import { guidedFilter, harden } from './guided-filter';

describe('guidedFilter', () => {
  it('puts a step into a soft mask where the guide image has its edge', () => {
    // 64×8: the image edge between x = 31 and 32; the mask a 16-pixel ramp around it, as a low-resolution mask upsampled.
    const [w, h] = [64, 8];
    const guide = new Float32Array(w * h);
    const mask = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) [guide[y * w + x], mask[y * w + x]] = [x < 32 ? 0.1 : 0.9, Math.min(1, Math.max(0, (x - 31.5) / 16 + 0.5))];
    const refined = guidedFilter(guide, mask, w, h, 4, 1e-4);
    const row = (m: Float32Array) => Array.from(m.subarray(4 * w, 5 * w));
    const jump = (m: Float32Array) => row(m)[32] - row(m)[31];
    expect(jump(mask)).toBeCloseTo(1 / 16, 3);
    expect(jump(refined)).toBeGreaterThan(0.25);
    // Hardened, the whole transition is the one step at the image edge.
    const hard = row(harden(refined, 3));
    expect(hard[30]).toBeLessThan(0.1);
    expect(hard[33]).toBeGreaterThan(0.9);
  });

  it('leaves a flat mask flat', () => {
    const guide = Float32Array.from({ length: 64 * 64 }, (_, i) => (i % 7) / 7);
    const mask = new Float32Array(64 * 64).fill(0.5);
    const out = guidedFilter(guide, mask, 64, 64, 4, 1e-2);
    expect(Math.max(...out.map((v) => Math.abs(v - 0.5)))).toBeLessThan(1e-4);
  });
});
