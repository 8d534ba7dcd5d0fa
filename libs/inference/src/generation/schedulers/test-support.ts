import type { GaussianSource, Scheduler } from './scheduler';

// Test support only (not exported from the lib): seeded noise and a denoising loop.

/** Standard normals from mulberry32 + Box-Muller, so tests are reproducible. */
export function seededGaussian(seed: number): GaussianSource {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A source that repeats `values`: lets a spec reproduce one step's noise by hand. */
export function cyclingSource(values: number[]): GaussianSource {
  let i = 0;
  return () => values[i++ % values.length];
}

export function gaussianArray(length: number, source: GaussianSource, scale = 1): Float32Array {
  return Float32Array.from({ length }, () => source() * scale);
}

/** The sampling loop a pipeline runs, with `model` standing in for the UNet. */
export function denoise(
  scheduler: Scheduler,
  start: Float32Array,
  model: (input: Float32Array, stepIndex: number) => Float32Array,
  noise: GaussianSource,
  firstStep = 0,
): Float32Array {
  let sample = start;
  for (let i = firstStep; i < scheduler.timesteps.length; i++) {
    sample = scheduler.step(model(scheduler.scaleModelInput(sample, i), i), i, sample, noise);
  }
  return sample;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
