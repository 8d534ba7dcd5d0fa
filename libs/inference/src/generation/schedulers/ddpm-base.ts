import { ddpmAddNoise } from './ddpm-parametrisation';
import { assertSameLength, assertStepIndex } from './guards';
import type { PredictionType } from './schedule-config';
import type { GaussianSource, Scheduler, SchedulerName } from './scheduler';

/**
 * What DDIM and LCM share: the DDPM parametrisation (x_t = sqrt(acp_t)·x0 + sqrt(1 − acp_t)·eps),
 * so the UNet input is the sample itself and img2img noising is q(x_t | x0).
 */
export abstract class DdpmBase implements Scheduler {
  abstract readonly name: SchedulerName;
  abstract readonly timesteps: number[];
  readonly initNoiseSigma = 1;

  protected constructor(
    protected readonly alphasCumprod: Float64Array,
    protected readonly predictionType: PredictionType,
  ) {}

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    this.checkIndex(stepIndex);
    return sample;
  }

  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array {
    this.checkIndex(stepIndex);
    assertSameLength(this.name, original, noise, 'original and noise');
    return ddpmAddNoise(original, noise, this.alphasCumprod[this.timesteps[stepIndex]]);
  }

  abstract step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: GaussianSource): Float32Array;

  /** The checks every step starts with. */
  protected checkStep(stepIndex: number, modelOutput: Float32Array, sample: Float32Array): void {
    this.checkIndex(stepIndex);
    assertSameLength(this.name, modelOutput, sample, 'model output and sample');
  }

  protected checkIndex(stepIndex: number): void {
    assertStepIndex(this.name, stepIndex, this.timesteps.length);
  }
}
