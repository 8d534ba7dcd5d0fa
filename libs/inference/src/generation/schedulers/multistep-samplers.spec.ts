import { describe, expect, it } from 'vitest';
import { createScheduler } from './create-scheduler';
import type { EulerBase } from './euler-base';
import { alphasCumprod } from './noise-schedule';
import { NOISE, SAMPLE, SD15_CONFIG } from './reference-values';
import { resolveSchedulerConfig } from './schedule-config';
import type { Scheduler } from './scheduler';
import { scheduleSigmas, sigmaToTimestep } from './sigma-schedules';
import { cyclingSource, denoise } from './test-support';

const close = (values: number[], digits = 5) => values.map((v) => expect.closeTo(v, digits));
const noNoise = () => {
  throw new Error('this sampler must not draw noise');
};
/** A sigma-space sampler, whose sigmas the checks read. */
const sampler = (...args: Parameters<typeof createScheduler>) => createScheduler(...args) as EulerBase;
const TRAIN_SIGMAS = Array.from(alphasCumprod(resolveSchedulerConfig(SD15_CONFIG, 'linspace')), (a) => Math.sqrt((1 - a) / a));

/** compute_reference.py's stand-in UNet: eps = 0.5·u − 0.2 + t/2000 on the scaled input u. */
const fakeUnet = (scheduler: Scheduler) => (input: Float32Array, i: number) => input.map((u) => 0.5 * u - 0.2 + scheduler.timesteps[i] / 2000);

/** Six steps from SAMPLE · sigma_max with compute_reference.py's stand-in UNet. */
function sixSteps(name: Parameters<typeof createScheduler>[0], schedule: 'normal' | 'karras'): number[] {
  const scheduler = sampler(name, SD15_CONFIG, 6, schedule);
  const start = Float32Array.from(SAMPLE, (v) => v * scheduler.sigmas[0]);
  return Array.from(denoise(scheduler, start, fakeUnet(scheduler), name === 'dpmpp-2m-sde' ? cyclingSource(NOISE) : noNoise));
}

describe('sigma schedules (SD 1.5 training sigmas; expected values from reference/compute_reference.py)', () => {
  it('karras, exponential and simple, each with the training timestep of its sigmas', () => {
    const cases = {
      karras: { sigmas: [14.6146412, 6.0821492, 2.2321545, 0.6925704, 0.1697566, 0.0291672], t: [999, 837.120403, 593.501453, 248.755258, 29.805746, 0] },
      exponential: { sigmas: [14.6146412, 4.2151142, 1.2157115, 0.3506321, 0.1011284, 0.0291672], t: [999, 756.511513, 413.161933, 102.973359, 10.630986, 0] },
      simple: { sigmas: [14.6146412, 5.9631304, 2.9183071, 1.6128862, 0.932358, 0.4924092], t: [999, 833, 666, 499, 333, 166] },
    } as const;
    for (const [schedule, expected] of Object.entries(cases) as Array<[keyof typeof cases, (typeof cases)[keyof typeof cases]]>) {
      expect(scheduleSigmas(schedule, TRAIN_SIGMAS, 6), schedule).toEqual(close([...expected.sigmas]));
      const scheduler = sampler('euler', SD15_CONFIG, 6, schedule);
      expect(scheduler.timesteps, schedule).toEqual(close([...expected.t], 4));
      expect(scheduler.sigmas.at(-1)).toBe(0);
      expect(scheduler.initNoiseSigma).toBeCloseTo(14.6146412, 5);
    }
  });

  it('sigmaToTimestep inverts the training sigmas and clamps outside them', () => {
    const logs = TRAIN_SIGMAS.map(Math.log);
    expect(sigmaToTimestep(TRAIN_SIGMAS[500], logs)).toBeCloseTo(500, 6);
    expect(sigmaToTimestep(100, logs)).toBe(999);
    expect(sigmaToTimestep(0.001, logs)).toBe(0);
  });

  it("'normal' keeps the model's own schedule, and DDIM and LCM refuse the others", () => {
    expect(createScheduler('dpmpp-2m', SD15_CONFIG, 10).timesteps).toEqual(createScheduler('euler', SD15_CONFIG, 10).timesteps);
    expect(() => createScheduler('ddim', SD15_CONFIG, 10, 'karras')).toThrow(/ddim runs on the model's own timesteps only/);
    expect(() => createScheduler('lcm', SD15_CONFIG, 4, 'simple')).toThrow(/lcm/);
  });
});

describe('DPM++ 2M, DPM++ 2M SDE and UniPC (six steps; expected values from reference/compute_reference.py)', () => {
  it.each([
    ['dpmpp-2m', 'normal', [0.7281772, -3.5361904, 4.4908545]],
    ['dpmpp-2m', 'karras', [0.8444921, -2.7215645, 3.9910127]],
    ['dpmpp-2m-sde', 'normal', [0.9605054, -1.0309405, 2.974987]],
    ['dpmpp-2m-sde', 'karras', [0.8644697, -0.5703834, 2.4306948]],
    // UniPC's reference runs diffusers' variance-preserving form, so these also check the sigma-space rewrite.
    ['unipc-bh2', 'normal', [0.7280054, -3.4868358, 4.4469828]],
    ['unipc-bh2', 'karras', [0.8407856, -2.7195313, 3.9822416]],
    ['unipc', 'normal', [0.9887306, -1.9423239, 3.5749551]],
    ['unipc', 'karras', [1.3612327, 0.9959546, 1.6835369]],
  ] as const)('%s with the %s schedule', (name, schedule, expected) => {
    expect(sixSteps(name, schedule)).toEqual(close([...expected], 4));
  });

  /**
   * Data N(0, s²): the exact denoiser is x·s²/(s² + σ²) and the probability-flow ODE carries x_T
   * at sigma_max to x_T·sqrt(s² + σ²)/sqrt(s² + sigma_max²) at σ: the samplers converge to it at
   * their published orders (Karras sigmas).
   */
  it('the deterministic ones solve the Gaussian-data ODE at their orders: Euler 1, DPM++ 2M 2, UniPC higher', () => {
    const s = 0.5;
    const errorOf = (name: Parameters<typeof createScheduler>[0], steps: number) => {
      const scheduler = sampler(name, SD15_CONFIG, steps, 'karras');
      const start = Float32Array.from([1.3 * scheduler.sigmas[0]]);
      const model = (input: Float32Array, i: number) => {
        const sigma = scheduler.sigmas[i];
        const x = input[0] * Math.sqrt(sigma * sigma + 1);
        return Float32Array.from([(x - (x * s * s) / (s * s + sigma * sigma)) / sigma]);
      };
      // Exact down to the last sigma, then the last step's jump to 0 is the denoiser itself.
      const last = scheduler.sigmas.at(-2)!;
      const exact = ((start[0] * Math.sqrt(s * s + last * last)) / Math.sqrt(s * s + scheduler.sigmas[0] ** 2)) * ((s * s) / (s * s + last * last));
      return Math.abs(denoise(scheduler, start, model, noNoise)[0] - exact);
    };
    // Euler is first order (halving h halves the error), DPM++ 2M second, UniPC with its corrector higher.
    expect(errorOf('euler', 20) / errorOf('euler', 40)).toBeCloseTo(2, 0);
    expect(errorOf('dpmpp-2m', 40) / errorOf('dpmpp-2m', 80)).toBeGreaterThan(3.5);
    for (const name of ['dpmpp-2m', 'unipc', 'unipc-bh2'] as const) {
      expect(errorOf(name, 40), name).toBeLessThan(errorOf('euler', 40) / 10);
      expect(errorOf(name, 80), name).toBeLessThan(1e-3);
    }
    expect(errorOf('unipc-bh2', 80)).toBeLessThan(errorOf('dpmpp-2m', 80));
  });

  it('start afresh from the first step they are given (img2img) and stay deterministic per seed', () => {
    const run = () => {
      const scheduler = sampler('dpmpp-2m-sde', SD15_CONFIG, 8, 'exponential');
      const start = Float32Array.from(SAMPLE, (v) => v * scheduler.sigmas[3]);
      return Array.from(denoise(scheduler, start, fakeUnet(scheduler), cyclingSource(NOISE), 3));
    };
    expect(run()).toEqual(run());
    for (const name of ['dpmpp-2m', 'unipc'] as const) {
      const scheduler = createScheduler(name, SD15_CONFIG, 8, 'simple');
      const result = denoise(scheduler, Float32Array.from(SAMPLE), fakeUnet(scheduler), noNoise, 5);
      expect(Array.from(result).every(Number.isFinite), name).toBe(true);
    }
  });
});
