import type { GaussianSource } from './schedulers';

/**
 * Standard-normal numbers from a 32-bit seed: mulberry32 for uniforms, Box-Muller for the
 * normal pairs. Plain JavaScript arithmetic, so the same seed gives the same noise on every
 * machine (the GPU only sees the finished tensor).
 */
export function seededGaussian(seed: number): GaussianSource {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

export function gaussianArray(source: GaussianSource, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = source();
  return out;
}

/** A seed for a request without one: random, but returned with the result so it can be reused. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
