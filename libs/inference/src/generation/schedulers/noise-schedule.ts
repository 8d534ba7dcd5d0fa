import type { ResolvedSchedulerConfig } from './schedule-config';

/** numpy.linspace, element for element: start + i * (delta / div), the end pinned to `stop` when included. */
export function linspace(start: number, stop: number, num: number, endpoint = true): number[] {
  const div = endpoint ? num - 1 : num;
  if (div === 0) return [start];
  const step = (stop - start) / div;
  const values = Array.from({ length: num }, (_, i) => start + i * step);
  if (endpoint) values[num - 1] = stop;
  return values;
}

/** numpy's round(): halves go to the even neighbour (166.5 -> 166), unlike Math.round. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The training noise schedule: alphas_cumprod[t] = prod_{s<=t} (1 - beta_s). Computed in float64. */
export function alphasCumprod(config: ResolvedSchedulerConfig): Float64Array {
  const { betaStart, betaEnd, numTrainTimesteps: n } = config;
  // scaled_linear (SD's schedule) is linear in sqrt(beta).
  const betas =
    config.betaSchedule === 'scaled_linear'
      ? linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), n).map((b) => b * b)
      : linspace(betaStart, betaEnd, n);
  const cumprod = new Float64Array(n);
  let product = 1;
  betas.forEach((beta, t) => {
    product *= 1 - beta;
    cumprod[t] = product;
  });
  return cumprod;
}

/**
 * diffusers' `timestep_spacing`, descending. Only 'linspace' can be fractional; DDIM rounds it
 * (`roundLinspace`), Euler keeps the fractions and interpolates its sigmas there.
 */
export function spacedTimesteps(config: ResolvedSchedulerConfig, steps: number, roundLinspace: boolean): number[] {
  const n = config.numTrainTimesteps;
  let timesteps: number[];
  switch (config.timestepSpacing) {
    case 'linspace':
      timesteps = linspace(0, n - 1, steps)
        .reverse()
        .map((t) => (roundLinspace ? roundHalfEven(t) : t));
      break;
    case 'leading': {
      const ratio = Math.floor(n / steps);
      timesteps = Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio + config.stepsOffset);
      break;
    }
    case 'trailing': {
      const ratio = n / steps;
      timesteps = Array.from({ length: steps }, (_, i) => roundHalfEven(n - i * ratio) - 1);
      break;
    }
  }
  if (timesteps[0] > n - 1) {
    throw new Error(`Scheduler: timestep ${timesteps[0]} is past num_train_timesteps - 1 (${n - 1}); lower steps_offset`);
  }
  return timesteps;
}

/** np.interp(x, [0, 1, ..., len-1], values): linear interpolation on the integer grid, clamped at the ends. */
export function interpolate(values: ArrayLike<number>, x: number): number {
  const last = values.length - 1;
  if (x <= 0) return values[0];
  if (x >= last) return values[last];
  const j = Math.floor(x);
  return (values[j + 1] - values[j]) * (x - j) + values[j];
}
