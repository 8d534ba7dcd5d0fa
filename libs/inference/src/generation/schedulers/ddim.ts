import { DdpmBase } from './ddpm-base';
import { predictEpsilon, predictOriginal } from './ddpm-parametrisation';
import { assertSteps } from './guards';
import { alphasCumprod, spacedTimesteps } from './noise-schedule';
import { resolveSchedulerConfig } from './schedule-config';
import type { GaussianSource, SchedulerConfig } from './scheduler';

/** diffusers DDIMScheduler with eta = 0 (deterministic) and no sample clipping, as SD 1.5 configures it. */
export class DdimScheduler extends DdpmBase {
  readonly name = 'ddim';
  readonly timesteps: number[];
  /** acp used once the previous timestep falls below 0: 1 (a clean final sample) or acp[0]. */
  private readonly finalAlphaCumprod: number;
  private readonly stepRatio: number;

  constructor(config: SchedulerConfig, steps: number) {
    const resolved = resolveSchedulerConfig(config, 'leading');
    assertSteps('ddim', steps, resolved.numTrainTimesteps, 'num_train_timesteps');
    super(alphasCumprod(resolved), resolved.predictionType);
    this.finalAlphaCumprod = resolved.setAlphaToOne ? 1 : this.alphasCumprod[0];
    this.timesteps = spacedTimesteps(resolved, steps, true);
    // diffusers steps back by N // steps whatever the spacing; kept so results match it.
    this.stepRatio = Math.floor(resolved.numTrainTimesteps / steps);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _noise: GaussianSource): Float32Array {
    this.checkStep(stepIndex, modelOutput, sample);
    const timestep = this.timesteps[stepIndex];
    const previous = timestep - this.stepRatio;
    const alphaProd = this.alphasCumprod[timestep];
    const alphaProdPrev = previous >= 0 ? this.alphasCumprod[previous] : this.finalAlphaCumprod;
    const signal = Math.sqrt(alphaProdPrev);
    const direction = Math.sqrt(1 - alphaProdPrev);
    // Re-noise the x0 estimate to the previous level along the predicted eps (eta = 0: no fresh noise).
    return sample.map((x, i) => {
      const m = modelOutput[i];
      return signal * predictOriginal(m, x, alphaProd, this.predictionType) + direction * predictEpsilon(m, x, alphaProd, this.predictionType);
    });
  }
}
