import { describe, expect, it } from 'vitest';
import { alphasCumprod, interpolate, linspace, roundHalfEven, spacedTimesteps } from './noise-schedule';
import { SD15_CONFIG } from './reference-values';
import { resolveSchedulerConfig } from './schedule-config';

describe('alphasCumprod', () => {
  it("matches compute_reference.py for SD 1.5's scaled_linear schedule", () => {
    const acp = alphasCumprod(resolveSchedulerConfig(SD15_CONFIG, 'leading'));
    expect(acp).toHaveLength(1000);
    // compute_reference.py: alphas_cumprod[0, 1, 499, 999]
    expect(acp[0]).toBeCloseTo(0.99915, 9);
    expect(acp[1]).toBeCloseTo(0.9982960278, 9);
    expect(acp[499]).toBeCloseTo(0.2776696505, 9);
    expect(acp[999]).toBeCloseTo(0.0046600985, 9);
  });

  it('supports the linear schedule', () => {
    const acp = alphasCumprod(resolveSchedulerConfig({ ...SD15_CONFIG, beta_schedule: 'linear' }, 'leading'));
    expect(acp[999]).toBeCloseTo(0.0015789629, 9); // compute_reference.py: linear alphas_cumprod[999]
  });
});

describe('numpy helpers', () => {
  it('linspace matches numpy with and without the endpoint', () => {
    expect(linspace(0, 999, 4)).toEqual([0, 333, 666, 999]);
    expect(linspace(0, 50, 4, false)).toEqual([0, 12.5, 25, 37.5]);
    expect(linspace(0, 999, 1)).toEqual([0]);
  });

  it('roundHalfEven rounds halves to the even neighbour like numpy', () => {
    expect([0.5, 1.5, 2.5, 166.5, 812.5, 937.5, 2.4, 2.6, -0.5, -1.5].map(roundHalfEven)).toEqual([0, 2, 2, 166, 812, 938, 2, 3, 0, -2]);
  });

  it('interpolate is np.interp on the integer grid, clamped at the ends', () => {
    const values = [10, 20, 40];
    expect(interpolate(values, 0)).toBe(10);
    expect(interpolate(values, 1.25)).toBeCloseTo(25, 12);
    expect(interpolate(values, 2)).toBe(40);
    expect(interpolate(values, 3)).toBe(40);
    expect(interpolate(values, -1)).toBe(10);
  });

  it('rejects a steps_offset that pushes the first timestep past the schedule', () => {
    const config = resolveSchedulerConfig({ ...SD15_CONFIG, steps_offset: 200 }, 'leading');
    expect(() => spacedTimesteps(config, 10, true)).toThrow(/past num_train_timesteps - 1/);
  });
});

describe('resolveSchedulerConfig', () => {
  it("fills missing fields with SD 1.5's values and the scheduler's default spacing, ignoring unknown fields", () => {
    const config = { _class_name: 'PNDMScheduler', skip_prk_steps: true } as Record<string, unknown>;
    expect(resolveSchedulerConfig(config, 'linspace')).toEqual({
      numTrainTimesteps: 1000,
      betaStart: 0.00085,
      betaEnd: 0.012,
      betaSchedule: 'scaled_linear',
      predictionType: 'epsilon',
      timestepSpacing: 'linspace',
      stepsOffset: 1,
      setAlphaToOne: false,
      originalInferenceSteps: 50,
    });
  });

  it('rejects unsupported or malformed values with the field named', () => {
    expect(() => resolveSchedulerConfig({ beta_schedule: 'squaredcos_cap_v2' }, 'leading')).toThrow(/unsupported beta_schedule "squaredcos_cap_v2"/);
    expect(() => resolveSchedulerConfig({ prediction_type: 'sample' }, 'leading')).toThrow(/unsupported prediction_type/);
    expect(() => resolveSchedulerConfig({ timestep_spacing: 'karras' }, 'leading')).toThrow(/unsupported timestep_spacing/);
    expect(() => resolveSchedulerConfig({ num_train_timesteps: 0 }, 'leading')).toThrow(/num_train_timesteps must be an integer >= 1/);
    expect(() => resolveSchedulerConfig({ steps_offset: 0.5 }, 'leading')).toThrow(/steps_offset/);
    expect(() => resolveSchedulerConfig({ beta_end: -1 }, 'leading')).toThrow(/beta_end must be a positive number/);
    expect(() => resolveSchedulerConfig({ beta_end: 1.5 }, 'leading')).toThrow(/must be below 1/);
    expect(() => resolveSchedulerConfig({ original_inference_steps: 2000 }, 'leading')).toThrow(/original_inference_steps \(2000\) must not exceed/);
  });
});
