import { describe, expect, it } from 'vitest';
import { EulerAncestralScheduler } from './euler-ancestral';
import { MODEL_OUTPUT, NOISE, SAMPLE, SD15_CONFIG } from './reference-values';
import { cyclingSource, denoise, gaussianArray, maxAbsDiff, seededGaussian } from './test-support';

const close = (values: number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));

describe('EulerAncestralScheduler (SD 1.5, expected values from reference/compute_reference.py)', () => {
  it("shares Euler's linspace schedule", () => {
    const scheduler = new EulerAncestralScheduler(SD15_CONFIG, 10);
    expect(scheduler.name).toBe('euler-a');
    expect(scheduler.timesteps).toEqual([999, 888, 777, 666, 555, 444, 333, 222, 111, 0]);
    expect(scheduler.sigmas).toEqual(
      close([14.6146412, 7.8398829, 4.6091741, 2.9183071, 1.9501615, 1.3449278, 0.932358, 0.6249769, 0.3686577, 0.0291672, 0]),
    );
    expect(scheduler.initNoiseSigma).toBeCloseTo(14.6146412, 5);
    expect(new EulerAncestralScheduler(SD15_CONFIG, 20).sigmas[10]).toBeCloseTo(1.480582, 5);
  });

  it('step 3 of 10 steps to sigma_down and adds sigma_up times fresh noise', () => {
    // compute_reference.py: sigma_up 1.4507952, sigma_down 1.3031972 for this step.
    const scheduler = new EulerAncestralScheduler(SD15_CONFIG, 10);
    const next = scheduler.step(Float32Array.from(MODEL_OUTPUT), 3, Float32Array.from(SAMPLE), cyclingSource(NOISE));
    expect(Array.from(next)).toEqual(close([0.7011878, -1.4408646, 2.3202183]));
  });

  it('is reproducible with the same seeded source and differs with another seed', () => {
    const scheduler = new EulerAncestralScheduler(SD15_CONFIG, 10);
    const sample = gaussianArray(32, seededGaussian(5), scheduler.initNoiseSigma);
    const output = gaussianArray(32, seededGaussian(6));
    const a = scheduler.step(output, 0, sample, seededGaussian(42));
    const b = scheduler.step(output, 0, sample, seededGaussian(42));
    const c = scheduler.step(output, 0, sample, seededGaussian(43));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(maxAbsDiff(a, c)).toBeGreaterThan(0.1);
  });

  it('a perfect epsilon denoiser for a fixed x0 ends at x0 (the last step adds no noise)', () => {
    const scheduler = new EulerAncestralScheduler(SD15_CONFIG, 20);
    const x0 = gaussianArray(64, seededGaussian(1), 0.8);
    const start = gaussianArray(64, seededGaussian(2), scheduler.initNoiseSigma);
    const model = (input: Float32Array, i: number) => {
      const sigma = scheduler.sigmas[i];
      return input.map((x, k) => (x * Math.sqrt(sigma * sigma + 1) - x0[k]) / sigma);
    };
    expect(maxAbsDiff(denoise(scheduler, start, model, seededGaussian(9)), x0)).toBeLessThan(1e-3);
  });

  it('adds noise like Euler and rejects bad input', () => {
    const scheduler = new EulerAncestralScheduler(SD15_CONFIG, 10);
    expect(Array.from(scheduler.addNoise(Float32Array.from([1]), Float32Array.from([-1]), 9))).toEqual(close([1 - 0.0291672]));
    expect(() => new EulerAncestralScheduler(SD15_CONFIG, 0)).toThrow(/euler-a: steps must be an integer >= 1/);
    expect(() => scheduler.step(new Float32Array(2), 10, new Float32Array(2), seededGaussian(1))).toThrow(/euler-a: step index 10/);
  });
});
