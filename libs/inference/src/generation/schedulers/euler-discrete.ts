import type { SigmaSchedule } from '@atelier/models';
import { EulerBase } from './euler-base';
import { assertSameLength } from './guards';
import type { GaussianSource, SchedulerConfig } from './scheduler';

/** diffusers EulerDiscreteScheduler with its defaults (s_churn 0, so no noise is added). */
export class EulerDiscreteScheduler extends EulerBase {
  readonly name = 'euler';

  constructor(config: SchedulerConfig, steps: number, schedule: SigmaSchedule = 'normal') {
    super(config, steps, 'euler', schedule);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _noise: GaussianSource): Float32Array {
    this.checkIndex(stepIndex);
    assertSameLength(this.name, modelOutput, sample, 'model output and sample');
    const sigma = this.sigmas[stepIndex];
    const dt = this.sigmas[stepIndex + 1] - sigma;
    // One Euler step of the probability-flow ODE: dx/dsigma = (x - x0) / sigma.
    return sample.map((x, i) => x + ((x - this.predictOriginal(modelOutput[i], x, sigma)) / sigma) * dt);
  }
}
