import type { SigmaSchedule } from '@atelier/models';
import { EulerBase } from './euler-base';
import { assertSameLength } from './guards';
import type { GaussianSource, SchedulerConfig } from './scheduler';

/**
 * diffusers EulerAncestralDiscreteScheduler: steps deterministically down to sigma_down, then adds
 * fresh noise of sigma_up so the sample sits at the next sigma (sigma_down^2 + sigma_up^2 = sigma_next^2).
 */
export class EulerAncestralScheduler extends EulerBase {
  readonly name = 'euler-a';

  constructor(config: SchedulerConfig, steps: number, schedule: SigmaSchedule = 'normal') {
    super(config, steps, 'euler-a', schedule);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: GaussianSource): Float32Array {
    this.checkIndex(stepIndex);
    assertSameLength(this.name, modelOutput, sample, 'model output and sample');
    const from = this.sigmas[stepIndex];
    const to = this.sigmas[stepIndex + 1];
    const sigmaUp = Math.sqrt((to * to * (from * from - to * to)) / (from * from));
    const sigmaDown = Math.sqrt(Math.max(0, to * to - sigmaUp * sigmaUp));
    const dt = sigmaDown - from;
    const next = new Float32Array(sample.length);
    for (let i = 0; i < sample.length; i++) {
      const x = sample[i];
      const derivative = (x - this.predictOriginal(modelOutput[i], x, from)) / from;
      // The last step has sigma_up = 0: skip drawing noise that would be multiplied by 0.
      next[i] = x + derivative * dt + (sigmaUp > 0 ? noise() * sigmaUp : 0);
    }
    return next;
  }
}
