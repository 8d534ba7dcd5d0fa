import type { SigmaSchedule } from '@atelier/models';
import { EulerBase } from './euler-base';
import { assertSameLength } from './guards';
import type { GaussianSource, SchedulerConfig } from './scheduler';

/**
 * DPM-Solver++(2M) (Lu et al. 2022), as k-diffusion's sample_dpmpp_2m: a second-order multistep
 * solver in log-sigma time on the data prediction, first order on its first step (no history)
 * and landing on the data prediction at sigma 0. It keeps the previous step's x0, so one
 * instance runs one sample's steps in order.
 */
export class DpmppTwoMScheduler extends EulerBase {
  readonly name = 'dpmpp-2m';
  private previous?: { denoised: Float64Array; stepIndex: number };

  constructor(config: SchedulerConfig, steps: number, schedule: SigmaSchedule = 'normal') {
    super(config, steps, 'dpmpp-2m', schedule);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _noise: GaussianSource): Float32Array {
    this.checkIndex(stepIndex);
    assertSameLength(this.name, modelOutput, sample, 'model output and sample');
    const denoised = this.denoised(modelOutput, sample, stepIndex);
    const sigma = this.sigmas[stepIndex];
    const next = this.sigmas[stepIndex + 1];
    const previous = this.previous?.stepIndex === stepIndex - 1 ? this.previous : undefined;
    this.previous = { denoised, stepIndex };
    if (next === 0) return Float32Array.from(denoised);
    const h = Math.log(sigma) - Math.log(next);
    const ratio = next / sigma;
    const weight = -Math.expm1(-h);
    const out = new Float32Array(sample.length);
    if (!previous) {
      for (let k = 0; k < out.length; k++) out[k] = ratio * sample[k] + weight * denoised[k];
      return out;
    }
    const r = (Math.log(this.sigmas[stepIndex - 1]) - Math.log(sigma)) / h;
    const a = 1 + 1 / (2 * r);
    const b = 1 / (2 * r);
    for (let k = 0; k < out.length; k++) out[k] = ratio * sample[k] + weight * (a * denoised[k] - b * previous.denoised[k]);
    return out;
  }
}
