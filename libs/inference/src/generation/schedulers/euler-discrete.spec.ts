import { describe, expect, it } from 'vitest';
import { EulerDiscreteScheduler } from './euler-discrete';
import { MODEL_OUTPUT, SAMPLE, SD15_CONFIG } from './reference-values';
import { denoise, gaussianArray, maxAbsDiff, seededGaussian } from './test-support';

const close = (values: number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));
const noNoise = () => {
  throw new Error('Euler must not draw noise');
};

describe('EulerDiscreteScheduler schedule (SD 1.5, expected values from reference/compute_reference.py)', () => {
  it('10 steps: linspace timesteps, sigmas ending in 0, init sigma = sigma_max', () => {
    const euler = new EulerDiscreteScheduler(SD15_CONFIG, 10);
    expect(euler.timesteps).toEqual([999, 888, 777, 666, 555, 444, 333, 222, 111, 0]);
    expect(euler.sigmas).toEqual(
      close([14.6146412, 7.8398829, 4.6091741, 2.9183071, 1.9501615, 1.3449278, 0.932358, 0.6249769, 0.3686577, 0.0291672, 0]),
    );
    expect(euler.initNoiseSigma).toBeCloseTo(14.6146412, 5);
  });

  it('20 steps: fractional timesteps with interpolated sigmas', () => {
    const euler = new EulerDiscreteScheduler(SD15_CONFIG, 20);
    expect(euler.timesteps).toEqual(
      close([
        999, 946.421053, 893.842105, 841.263158, 788.684211, 736.105263, 683.526316, 630.947368, 578.368421, 525.789474, 473.210526,
        420.631579, 368.052632, 315.473684, 262.894737, 210.315789, 157.736842, 105.157895, 52.578947, 0,
      ]),
    );
    expect(euler.sigmas).toEqual(
      close([
        14.6146412, 10.746844, 8.081534, 6.2049484, 4.8556633, 3.8653823, 3.1237675, 2.5571669, 2.1156608, 1.7648242, 1.480582, 1.2458147,
        1.0481423, 0.8784294, 0.7297192, 0.5964346, 0.4735858, 0.3555464, 0.2321676, 0.0291672, 0,
      ]),
    );
  });

  it("'leading' uses steps_offset and scales the initial noise by sqrt(sigma_max^2 + 1); 'trailing' ends at 99", () => {
    const leading = new EulerDiscreteScheduler({ ...SD15_CONFIG, timestep_spacing: 'leading' }, 10);
    expect(leading.timesteps).toEqual([901, 801, 701, 601, 501, 401, 301, 201, 101, 1]);
    expect(leading.sigmas).toEqual(
      close([8.3906848, 5.1344311, 3.3477636, 2.2928538, 1.6236921, 1.168216, 0.8356528, 0.5740503, 0.3461867, 0.0413144, 0]),
    );
    expect(leading.initNoiseSigma).toBeCloseTo(8.4500646, 5);
    const trailing = new EulerDiscreteScheduler({ ...SD15_CONFIG, timestep_spacing: 'trailing' }, 10);
    expect(trailing.timesteps).toEqual([999, 899, 799, 699, 599, 499, 399, 299, 199, 99]);
    expect(trailing.sigmas).toEqual(
      close([14.6146412, 8.3028032, 5.0877632, 3.3210831, 2.2764631, 1.6128862, 1.1605783, 0.8298595, 0.5692849, 0.3416738, 0]),
    );
    expect(trailing.initNoiseSigma).toBeCloseTo(14.6146412, 5);
  });
});

describe('EulerDiscreteScheduler step', () => {
  it('matches compute_reference.py for step 3 of 10 (epsilon and v_prediction)', () => {
    const sample = Float32Array.from(SAMPLE);
    const output = Float32Array.from(MODEL_OUTPUT);
    const eps = new EulerDiscreteScheduler(SD15_CONFIG, 10).step(output, 3, sample, noNoise);
    expect(Array.from(eps)).toEqual(close([0.4031854, -0.9095563, 1.322298]));
    const v = new EulerDiscreteScheduler({ ...SD15_CONFIG, prediction_type: 'v_prediction' }, 10).step(output, 3, sample, noNoise);
    expect(Array.from(v)).toEqual(close([0.3201721, -0.749583, 1.1865379]));
    expect(Array.from(sample)).toEqual(SAMPLE.map(Math.fround)); // inputs untouched
    expect(Array.from(output)).toEqual(MODEL_OUTPUT.map(Math.fround));
  });

  it('scaleModelInput divides by sqrt(sigma^2 + 1) without mutating the sample', () => {
    const euler = new EulerDiscreteScheduler(SD15_CONFIG, 10);
    const sample = Float32Array.from([14.6146412, -2]);
    const scaled = euler.scaleModelInput(sample, 0);
    const norm = Math.sqrt(14.6146412 ** 2 + 1);
    expect(Array.from(scaled)).toEqual(close([14.6146412 / norm, -2 / norm]));
    expect(sample[1]).toBe(-2);
  });

  it.each([['epsilon'], ['v_prediction']])('a perfect %s denoiser for a fixed x0 ends at x0', (predictionType) => {
    const euler = new EulerDiscreteScheduler({ ...SD15_CONFIG, prediction_type: predictionType }, 20);
    const x0 = gaussianArray(64, seededGaussian(1), 0.8);
    const start = gaussianArray(64, seededGaussian(2), euler.initNoiseSigma);
    // The UNet sees x / sqrt(sigma^2+1) = sqrt(acp) x0 + sqrt(1-acp) eps, with acp = 1 / (sigma^2 + 1).
    const model = (input: Float32Array, i: number) => {
      const sigma = euler.sigmas[i];
      const norm = Math.sqrt(sigma * sigma + 1);
      return input.map((x, k) => {
        const eps = (x * norm - x0[k]) / sigma;
        return predictionType === 'epsilon' ? eps : (eps - sigma * x0[k]) / norm;
      });
    };
    const result = denoise(euler, start, model, noNoise);
    expect(maxAbsDiff(result, x0)).toBeLessThan(1e-3);
  });

  it('addNoise at step i gives x0 + noise * sigma_i', () => {
    const euler = new EulerDiscreteScheduler(SD15_CONFIG, 10);
    const noised = euler.addNoise(Float32Array.from([1, -0.5]), Float32Array.from([0.2, 1]), 4);
    expect(Array.from(noised)).toEqual(close([1 + 0.2 * 1.9501615, -0.5 + 1.9501615]));
  });

  it('rejects bad steps, step indices and mismatched lengths', () => {
    expect(() => new EulerDiscreteScheduler(SD15_CONFIG, 0)).toThrow(/euler: steps must be an integer >= 1, got 0/);
    expect(() => new EulerDiscreteScheduler(SD15_CONFIG, 2.5)).toThrow(/steps must be an integer/);
    expect(() => new EulerDiscreteScheduler(SD15_CONFIG, 1001)).toThrow(/steps \(1001\) must not exceed num_train_timesteps \(1000\)/);
    const euler = new EulerDiscreteScheduler(SD15_CONFIG, 10);
    const x = new Float32Array(4);
    expect(() => euler.step(x, 10, x, noNoise)).toThrow(/step index 10 is outside 0\.\.9/);
    expect(() => euler.scaleModelInput(x, -1)).toThrow(RangeError);
    expect(() => euler.step(new Float32Array(3), 0, x, noNoise)).toThrow(/lengths differ \(3 vs 4\)/);
    expect(() => euler.addNoise(x, new Float32Array(5), 0)).toThrow(/lengths differ/);
  });
});
