import { describe, expect, it } from 'vitest';
import { createScheduler, firstStepForStrength, SCHEDULER_NAMES, type SchedulerName } from './index';
import { SD15_CONFIG } from './reference-values';

describe('createScheduler', () => {
  it('builds each scheduler by name with the requested number of steps', () => {
    for (const name of SCHEDULER_NAMES) {
      const scheduler = createScheduler(name, SD15_CONFIG, 8);
      expect(scheduler.name).toBe(name);
      expect(scheduler.timesteps).toHaveLength(8);
    }
    expect(createScheduler('euler', SD15_CONFIG, 10).initNoiseSigma).toBeCloseTo(14.6146412, 5);
    expect(createScheduler('ddim', SD15_CONFIG, 10).initNoiseSigma).toBe(1);
    expect(createScheduler('lcm', SD15_CONFIG, 10).initNoiseSigma).toBe(1);
  });

  it('works from an empty config (SD 1.5 defaults)', () => {
    expect(createScheduler('ddim', {}, 10).timesteps).toEqual([901, 801, 701, 601, 501, 401, 301, 201, 101, 1]);
  });

  it('rejects an unknown name and bad steps', () => {
    expect(() => createScheduler('dpm++' as SchedulerName, SD15_CONFIG, 10)).toThrow(/Unknown scheduler "dpm\+\+" \(supported: euler, euler-a, ddim, lcm, dpmpp-2m, dpmpp-2m-sde, unipc, unipc-bh2\)/);
    expect(() => createScheduler('euler', SD15_CONFIG, -1)).toThrow(/steps must be an integer >= 1/);
    expect(() => createScheduler('lcm', SD15_CONFIG, 60)).toThrow(/original_inference_steps/);
  });
});

describe('firstStepForStrength', () => {
  it("follows diffusers' get_timesteps: t_start = steps - min(int(steps * strength), steps)", () => {
    expect(firstStepForStrength(50, 1)).toBe(0);
    expect(firstStepForStrength(50, 0.8)).toBe(10);
    expect(firstStepForStrength(10, 0.75)).toBe(3); // int(7.5) = 7
    expect(firstStepForStrength(100, 0.29)).toBe(72); // int(28.999999999999996) = 28, as in Python
    expect(firstStepForStrength(4, 0.2)).toBe(4); // int(0.8) = 0: nothing to run
    expect(firstStepForStrength(10, 0)).toBe(10);
  });

  it('rejects strengths outside [0, 1] and bad steps', () => {
    expect(() => firstStepForStrength(10, 1.5)).toThrow(/strength must be in \[0, 1\], got 1.5/);
    expect(() => firstStepForStrength(10, -0.1)).toThrow(/strength/);
    expect(() => firstStepForStrength(10, Number.NaN)).toThrow(/strength/);
    expect(() => firstStepForStrength(0, 0.5)).toThrow(/steps must be an integer >= 1/);
  });
});
