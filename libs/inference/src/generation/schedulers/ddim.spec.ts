import { describe, expect, it } from 'vitest';
import { DdimScheduler } from './ddim';
import { alphasCumprod } from './noise-schedule';
import { MODEL_OUTPUT, SAMPLE, SD15_CONFIG } from './reference-values';
import { resolveSchedulerConfig } from './schedule-config';
import { denoise, gaussianArray, maxAbsDiff, seededGaussian } from './test-support';

const close = (values: number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));
const noNoise = () => {
  throw new Error('DDIM (eta 0) must not draw noise');
};
const ACP = alphasCumprod(resolveSchedulerConfig(SD15_CONFIG, 'leading'));

/** A UNet that knows x0: returns the exact eps (or v) of the sample it is given at timestep t. */
function perfectDenoiser(x0: Float32Array, timesteps: number[], predictionType: string) {
  return (input: Float32Array, i: number) => {
    const a = ACP[timesteps[i]];
    return input.map((x, k) => {
      const eps = (x - Math.sqrt(a) * x0[k]) / Math.sqrt(1 - a);
      return predictionType === 'epsilon' ? eps : Math.sqrt(a) * eps - Math.sqrt(1 - a) * x0[k];
    });
  };
}

describe('DdimScheduler schedule (SD 1.5, expected values from reference/compute_reference.py)', () => {
  it("uses 'leading' spacing with steps_offset 1 and init sigma 1", () => {
    const ten = new DdimScheduler(SD15_CONFIG, 10);
    expect(ten.timesteps).toEqual([901, 801, 701, 601, 501, 401, 301, 201, 101, 1]);
    expect(ten.initNoiseSigma).toBe(1);
    expect(new DdimScheduler(SD15_CONFIG, 20).timesteps).toEqual([
      951, 901, 851, 801, 751, 701, 651, 601, 551, 501, 451, 401, 351, 301, 251, 201, 151, 101, 51, 1,
    ]);
  });

  it("rounds 'linspace' and 'trailing' half to even like numpy", () => {
    expect(new DdimScheduler({ ...SD15_CONFIG, timestep_spacing: 'linspace' }, 10).timesteps).toEqual([999, 888, 777, 666, 555, 444, 333, 222, 111, 0]);
    expect(new DdimScheduler({ ...SD15_CONFIG, timestep_spacing: 'linspace' }, 7).timesteps).toEqual([999, 832, 666, 500, 333, 166, 0]);
    expect(new DdimScheduler({ ...SD15_CONFIG, timestep_spacing: 'trailing' }, 10).timesteps).toEqual([999, 899, 799, 699, 599, 499, 399, 299, 199, 99]);
    expect(new DdimScheduler({ ...SD15_CONFIG, timestep_spacing: 'trailing' }, 16).timesteps).toEqual([
      999, 937, 874, 811, 749, 687, 624, 561, 499, 437, 374, 311, 249, 187, 124, 61,
    ]);
  });
});

describe('DdimScheduler step', () => {
  const sample = Float32Array.from(SAMPLE);
  const output = Float32Array.from(MODEL_OUTPUT);

  it('matches compute_reference.py for step 3 of 10 (t=601), epsilon and v_prediction', () => {
    expect(Array.from(new DdimScheduler(SD15_CONFIG, 10).step(output, 3, sample, noNoise))).toEqual(close([0.6207897, -1.4688406, 2.3778855]));
    const v = new DdimScheduler({ ...SD15_CONFIG, prediction_type: 'v_prediction' }, 10);
    expect(Array.from(v.step(output, 3, sample, noNoise))).toEqual(close([0.4810273, -1.1460485, 1.882024]));
  });

  it('the last step uses acp[0], or 1 with set_alpha_to_one', () => {
    expect(Array.from(new DdimScheduler(SD15_CONFIG, 10).step(output, 9, sample, noNoise))).toEqual(close([0.4989996, -1.1968705, 1.9923558]));
    const toOne = new DdimScheduler({ ...SD15_CONFIG, set_alpha_to_one: true }, 10);
    expect(Array.from(toOne.step(output, 9, sample, noNoise))).toEqual(close([0.4962951, -1.1886294, 1.9727861]));
  });

  it.each([['epsilon'], ['v_prediction']])('a perfect %s denoiser ends at x0 with set_alpha_to_one', (predictionType) => {
    const ddim = new DdimScheduler({ ...SD15_CONFIG, set_alpha_to_one: true, prediction_type: predictionType }, 20);
    const x0 = gaussianArray(64, seededGaussian(1), 0.8);
    const start = gaussianArray(64, seededGaussian(2));
    const result = denoise(ddim, start, perfectDenoiser(x0, ddim.timesteps, predictionType), noNoise);
    expect(maxAbsDiff(result, x0)).toBeLessThan(1e-3);
  });

  it("with SD 1.5's set_alpha_to_one=false it ends at acp[0]'s noise level along the first step's eps", () => {
    const ddim = new DdimScheduler(SD15_CONFIG, 10);
    const x0 = gaussianArray(64, seededGaussian(1), 0.8);
    const start = gaussianArray(64, seededGaussian(2));
    const result = denoise(ddim, start, perfectDenoiser(x0, ddim.timesteps, 'epsilon'), noNoise);
    // eta = 0 keeps eps fixed, so the end is sqrt(acp0) x0 + sqrt(1-acp0) eps0 (acp0 = 0.99915).
    const aT = ACP[901];
    const expected = x0.map((x, k) => Math.sqrt(0.99915) * x + Math.sqrt(0.00085) * ((start[k] - Math.sqrt(aT) * x) / Math.sqrt(1 - aT)));
    expect(maxAbsDiff(result, expected)).toBeLessThan(1e-4);
    expect(maxAbsDiff(result, x0)).toBeGreaterThan(1e-3);
  });

  it('addNoise at step i gives x0 sqrt(acp_t) + noise sqrt(1 - acp_t) and scaleModelInput is the identity', () => {
    const ddim = new DdimScheduler(SD15_CONFIG, 10);
    const original = Float32Array.from([1, -0.5]);
    const noise = Float32Array.from([0.2, 1]);
    const a = ACP[601];
    expect(Array.from(ddim.addNoise(original, noise, 3))).toEqual(close([Math.sqrt(a) + 0.2 * Math.sqrt(1 - a), -0.5 * Math.sqrt(a) + Math.sqrt(1 - a)]));
    expect(Array.from(original)).toEqual([1, -0.5]);
    expect(ddim.scaleModelInput(original, 0)).toEqual(original);
  });

  it('rejects bad steps and step indices', () => {
    expect(() => new DdimScheduler(SD15_CONFIG, 0)).toThrow(/ddim: steps must be an integer >= 1, got 0/);
    expect(() => new DdimScheduler(SD15_CONFIG, 1001)).toThrow(/must not exceed num_train_timesteps/);
    expect(() => new DdimScheduler(SD15_CONFIG, 10).addNoise(sample, sample, 10)).toThrow(/ddim: step index 10 is outside 0\.\.9/);
  });
});
