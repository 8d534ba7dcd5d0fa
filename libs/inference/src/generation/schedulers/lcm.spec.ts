import { describe, expect, it } from 'vitest';
import { LcmScheduler } from './lcm';
import { alphasCumprod } from './noise-schedule';
import { MODEL_OUTPUT, NOISE, SAMPLE, SD15_CONFIG } from './reference-values';
import { resolveSchedulerConfig } from './schedule-config';
import { cyclingSource, denoise, gaussianArray, maxAbsDiff, seededGaussian } from './test-support';

const close = (values: number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));
const ACP = alphasCumprod(resolveSchedulerConfig(SD15_CONFIG, 'leading'));

describe('LcmScheduler schedule (original_inference_steps 50, expected values from reference/compute_reference.py)', () => {
  it('picks evenly spaced timesteps from the distillation grid 999, 979, ..., 19', () => {
    const timesteps = (steps: number) => new LcmScheduler(SD15_CONFIG, steps).timesteps;
    expect(timesteps(1)).toEqual([999]);
    expect(timesteps(2)).toEqual([999, 499]);
    expect(timesteps(4)).toEqual([999, 759, 499, 259]);
    expect(timesteps(8)).toEqual([999, 879, 759, 639, 499, 379, 259, 139]);
    expect(timesteps(10)).toEqual([999, 899, 799, 699, 599, 499, 399, 299, 199, 99]);
    expect(timesteps(20)).toEqual([999, 959, 899, 859, 799, 759, 699, 659, 599, 559, 499, 459, 399, 359, 299, 259, 199, 159, 99, 59]);
    expect(timesteps(50)).toEqual(Array.from({ length: 50 }, (_, i) => 999 - 20 * i));
    expect(new LcmScheduler(SD15_CONFIG, 4).initNoiseSigma).toBe(1);
  });

  it('follows original_inference_steps', () => {
    expect(new LcmScheduler({ ...SD15_CONFIG, original_inference_steps: 100 }, 4).timesteps).toEqual([999, 749, 499, 249]);
  });

  it('rejects steps beyond original_inference_steps and below 1', () => {
    expect(() => new LcmScheduler(SD15_CONFIG, 51)).toThrow(/lcm: steps \(51\) must not exceed original_inference_steps \(50\)/);
    expect(() => new LcmScheduler(SD15_CONFIG, 0)).toThrow(/lcm: steps must be an integer >= 1, got 0/);
  });
});

describe('LcmScheduler step', () => {
  const sample = Float32Array.from(SAMPLE);
  const output = Float32Array.from(MODEL_OUTPUT);

  it('matches compute_reference.py: denoise with c_skip/c_out, re-noise to the next timestep', () => {
    const lcm = new LcmScheduler(SD15_CONFIG, 4);
    expect(Array.from(lcm.step(output, 1, sample, cyclingSource(NOISE)))).toEqual(close([1.1410099, -2.5187292, 3.8905173]));
    const v = new LcmScheduler({ ...SD15_CONFIG, prediction_type: 'v_prediction' }, 4);
    expect(Array.from(v.step(output, 1, sample, cyclingSource(NOISE)))).toEqual(close([0.2213785, -0.4155382, 0.7316132]));
  });

  it('returns the denoised sample at the last step without drawing noise', () => {
    const lcm = new LcmScheduler(SD15_CONFIG, 4);
    const never = () => {
      throw new Error('no noise after the last step');
    };
    expect(Array.from(lcm.step(output, 3, sample, never))).toEqual(close([0.5439977, -1.2624318, 1.960177]));
  });

  it.each([['epsilon'], ['v_prediction']])('a perfect %s denoiser ends at x0 whatever noise is injected', (predictionType) => {
    const lcm = new LcmScheduler({ ...SD15_CONFIG, prediction_type: predictionType }, 4);
    const x0 = gaussianArray(64, seededGaussian(1), 0.8);
    const model = (input: Float32Array, i: number) => {
      const a = ACP[lcm.timesteps[i]];
      return input.map((x, k) => {
        const eps = (x - Math.sqrt(a) * x0[k]) / Math.sqrt(1 - a);
        return predictionType === 'epsilon' ? eps : Math.sqrt(a) * eps - Math.sqrt(1 - a) * x0[k];
      });
    };
    const result = denoise(lcm, gaussianArray(64, seededGaussian(2)), model, seededGaussian(3));
    expect(maxAbsDiff(result, x0)).toBeLessThan(1e-3);
  });

  it('is reproducible with the same seeded source and differs with another seed', () => {
    const lcm = new LcmScheduler(SD15_CONFIG, 4);
    const a = lcm.step(output, 0, sample, seededGaussian(7));
    expect(Array.from(lcm.step(output, 0, sample, seededGaussian(7)))).toEqual(Array.from(a));
    expect(maxAbsDiff(lcm.step(output, 0, sample, seededGaussian(8)), a)).toBeGreaterThan(0.01);
    expect(Array.from(sample)).toEqual(SAMPLE.map(Math.fround));
  });

  it('addNoise at step i gives x0 sqrt(acp_t) + noise sqrt(1 - acp_t)', () => {
    const lcm = new LcmScheduler(SD15_CONFIG, 4);
    const a = ACP[499];
    expect(Array.from(lcm.addNoise(Float32Array.from([1, -0.5]), Float32Array.from([0.2, 1]), 2))).toEqual(
      close([Math.sqrt(a) + 0.2 * Math.sqrt(1 - a), -0.5 * Math.sqrt(a) + Math.sqrt(1 - a)]),
    );
    expect(() => lcm.addNoise(sample, sample, 4)).toThrow(/lcm: step index 4 is outside 0\.\.3/);
  });
});
