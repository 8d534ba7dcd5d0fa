import type { SigmaSchedule } from '@atelier/models';
import { linspace } from './noise-schedule';

/**
 * The sigma schedules besides the model's own ("normal": its scheduler_config.json spacing), over
 * the training sigmas sqrt((1 - acp_t) / acp_t) (ascending in t), as k-diffusion and ComfyUI
 * compute them: each gives `steps` descending sigmas from sigma_max to sigma_min (or near it).
 */
export function scheduleSigmas(schedule: Exclude<SigmaSchedule, 'normal'>, trainSigmas: ArrayLike<number>, steps: number): number[] {
  const sigmaMin = trainSigmas[0];
  const sigmaMax = trainSigmas[trainSigmas.length - 1];
  switch (schedule) {
    case 'karras': {
      // Karras et al. 2022, eq. 5, rho = 7: evenly spaced in sigma^(1/rho).
      const rho = 7;
      const lo = sigmaMin ** (1 / rho);
      const hi = sigmaMax ** (1 / rho);
      return linspace(0, 1, steps).map((r) => (hi + r * (lo - hi)) ** rho);
    }
    case 'exponential':
      return linspace(Math.log(sigmaMax), Math.log(sigmaMin), steps).map(Math.exp);
    case 'simple': {
      // ComfyUI's simple_scheduler: every (N / steps)-th training sigma from the top.
      const stride = trainSigmas.length / steps;
      return Array.from({ length: steps }, (_, x) => trainSigmas[trainSigmas.length - 1 - Math.floor(x * stride)]);
    }
    default:
      throw new Error(`Unknown sigma schedule ${JSON.stringify(schedule)}`);
  }
}

/** diffusers' _sigma_to_t: the (fractional) training timestep of a sigma, linear in log sigma between neighbours. */
export function sigmaToTimestep(sigma: number, logTrainSigmas: ArrayLike<number>): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  const n = logTrainSigmas.length;
  let low = 0;
  for (let i = 0; i < n; i++) if (logSigma >= logTrainSigmas[i]) low = i;
  low = Math.min(low, n - 2);
  const lo = logTrainSigmas[low];
  const hi = logTrainSigmas[low + 1];
  const w = Math.min(Math.max((lo - logSigma) / (lo - hi), 0), 1);
  return (1 - w) * low + w * (low + 1);
}
