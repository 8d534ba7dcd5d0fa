import type { SigmaSchedule } from '@atelier/models';
import { EulerBase } from './euler-base';
import { assertSameLength } from './guards';
import type { GaussianSource, SchedulerConfig } from './scheduler';

/**
 * DPM-Solver++(2M) SDE, as k-diffusion's sample_dpmpp_2m_sde with eta 1, s_noise 1 and the
 * midpoint correction: each step also adds fresh noise of sigma_next · sqrt(1 − e^(−2h)).
 * k-diffusion draws that noise from a Brownian tree; here it comes from the item's seeded
 * Gaussian stream, so a seed still gives one image. Keeps the previous step's x0.
 */
export class DpmppTwoMSdeScheduler extends EulerBase {
  readonly name = 'dpmpp-2m-sde';
  private previous?: { denoised: Float64Array; stepIndex: number; h: number };

  constructor(config: SchedulerConfig, steps: number, schedule: SigmaSchedule = 'normal') {
    super(config, steps, 'dpmpp-2m-sde', schedule);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: GaussianSource): Float32Array {
    this.checkIndex(stepIndex);
    assertSameLength(this.name, modelOutput, sample, 'model output and sample');
    const denoised = this.denoised(modelOutput, sample, stepIndex);
    const sigma = this.sigmas[stepIndex];
    const next = this.sigmas[stepIndex + 1];
    const previous = this.previous?.stepIndex === stepIndex - 1 ? this.previous : undefined;
    if (next === 0) {
      this.previous = { denoised, stepIndex, h: Number.POSITIVE_INFINITY };
      return Float32Array.from(denoised);
    }
    const h = Math.log(sigma) - Math.log(next);
    this.previous = { denoised, stepIndex, h };
    const decay = (next / sigma) * Math.exp(-h);
    const weight = -Math.expm1(-2 * h);
    const correction = previous ? (0.5 * weight * h) / previous.h : 0;
    const noiseScale = next * Math.sqrt(-Math.expm1(-2 * h));
    const out = new Float32Array(sample.length);
    for (let k = 0; k < out.length; k++) {
      let x = decay * sample[k] + weight * denoised[k];
      if (previous) x += correction * (denoised[k] - previous.denoised[k]);
      out[k] = x + noise() * noiseScale;
    }
    return out;
  }
}
