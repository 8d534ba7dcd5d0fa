import { ddpmAddNoise, predictEpsilon, predictOriginal } from './ddpm-parametrisation';
import { assertSameLength, assertStepIndex, assertSteps } from './guards';
import { alphasCumprod, spacedTimesteps } from './noise-schedule';
import { resolveSchedulerConfig, type PredictionType } from './schedule-config';
import type { GaussianSource, Scheduler, SchedulerConfig } from './scheduler';

/** diffusers DDIMScheduler with eta = 0 (deterministic) and no sample clipping, as SD 1.5 configures it. */
export class DdimScheduler implements Scheduler {
  readonly name = 'ddim';
  readonly timesteps: number[];
  readonly initNoiseSigma = 1;
  private readonly alphasCumprod: Float64Array;
  /** acp used once the previous timestep falls below 0: 1 (a clean final sample) or acp[0]. */
  private readonly finalAlphaCumprod: number;
  private readonly stepRatio: number;
  private readonly predictionType: PredictionType;

  constructor(config: SchedulerConfig, steps: number) {
    const resolved = resolveSchedulerConfig(config, 'leading');
    assertSteps(this.name, steps, resolved.numTrainTimesteps, 'num_train_timesteps');
    this.alphasCumprod = alphasCumprod(resolved);
    this.finalAlphaCumprod = resolved.setAlphaToOne ? 1 : this.alphasCumprod[0];
    this.timesteps = spacedTimesteps(resolved, steps, true);
    // diffusers steps back by N // steps whatever the spacing; kept so results match it.
    this.stepRatio = Math.floor(resolved.numTrainTimesteps / steps);
    this.predictionType = resolved.predictionType;
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    assertStepIndex(this.name, stepIndex, this.timesteps.length);
    return sample;
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, _noise: GaussianSource): Float32Array {
    assertStepIndex(this.name, stepIndex, this.timesteps.length);
    assertSameLength(this.name, modelOutput, sample, 'model output and sample');
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

  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array {
    assertStepIndex(this.name, stepIndex, this.timesteps.length);
    assertSameLength(this.name, original, noise, 'original and noise');
    return ddpmAddNoise(original, noise, this.alphasCumprod[this.timesteps[stepIndex]]);
  }
}
