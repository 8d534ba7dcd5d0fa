import type { SigmaSchedule } from '@atelier/models';
import { assertSameLength, assertStepIndex, assertSteps } from './guards';
import { alphasCumprod, interpolate, spacedTimesteps } from './noise-schedule';
import { resolveSchedulerConfig, type PredictionType } from './schedule-config';
import type { GaussianSource, Scheduler, SchedulerConfig, SchedulerName } from './scheduler';
import { scheduleSigmas, sigmaToTimestep } from './sigma-schedules';

/**
 * What the sigma-space samplers share (Euler, Euler-ancestral, DPM++, UniPC; diffusers'
 * Euler*DiscreteScheduler and k-diffusion): the sample lives in the "x0 + sigma * eps"
 * parametrisation, with a final sigma 0 appended so the last step lands on x0. With the "normal"
 * schedule the sigmas are sqrt((1 - acp_t) / acp_t) interpolated at the config's (possibly
 * fractional) timesteps; with karras, exponential or simple the sigmas come first and each
 * timestep the UNet sees is the sigma's training timestep (diffusers' _sigma_to_t).
 */
export abstract class EulerBase implements Scheduler {
  abstract readonly name: SchedulerName;
  readonly timesteps: number[];
  /** One per step plus the trailing 0. */
  readonly sigmas: number[];
  readonly initNoiseSigma: number;
  protected readonly predictionType: PredictionType;

  constructor(config: SchedulerConfig, steps: number, label: string, schedule: SigmaSchedule = 'normal') {
    const resolved = resolveSchedulerConfig(config, 'linspace');
    assertSteps(label, steps, resolved.numTrainTimesteps, 'num_train_timesteps');
    const trainSigmas = Array.from(alphasCumprod(resolved), (acp) => Math.sqrt((1 - acp) / acp));
    this.predictionType = resolved.predictionType;
    if (schedule === 'normal') {
      this.timesteps = spacedTimesteps(resolved, steps, false);
      this.sigmas = [...this.timesteps.map((t) => interpolate(trainSigmas, t)), 0];
      // diffusers: 'leading' never reaches t = N-1, so its start is scaled as a UNet input would be.
      const sigmaMax = Math.max(...this.sigmas);
      this.initNoiseSigma = resolved.timestepSpacing === 'leading' ? Math.sqrt(sigmaMax * sigmaMax + 1) : sigmaMax;
    } else {
      const sigmas = scheduleSigmas(schedule, trainSigmas, steps);
      const logSigmas = trainSigmas.map(Math.log);
      this.timesteps = sigmas.map((sigma) => sigmaToTimestep(sigma, logSigmas));
      this.sigmas = [...sigmas, 0];
      this.initNoiseSigma = sigmas[0];
    }
  }

  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array {
    this.checkIndex(stepIndex);
    const scale = 1 / Math.sqrt(this.sigmas[stepIndex] ** 2 + 1);
    return sample.map((x) => x * scale);
  }

  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array {
    this.checkIndex(stepIndex);
    assertSameLength(this.name, original, noise, 'original and noise');
    const sigma = this.sigmas[stepIndex];
    return original.map((x, i) => x + noise[i] * sigma);
  }

  abstract step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: GaussianSource): Float32Array;

  protected checkIndex(stepIndex: number): void {
    assertStepIndex(this.name, stepIndex, this.timesteps.length);
  }

  /** The denoised estimate x0 of a whole model output at step i's sigma. */
  protected denoised(modelOutput: Float32Array, sample: Float32Array, stepIndex: number): Float64Array {
    const sigma = this.sigmas[stepIndex];
    const out = new Float64Array(sample.length);
    for (let k = 0; k < sample.length; k++) out[k] = this.predictOriginal(modelOutput[k], sample[k], sigma);
    return out;
  }

  /** The denoised estimate x0 from one model output element at noise level `sigma`. */
  protected predictOriginal(modelOutput: number, sample: number, sigma: number): number {
    if (this.predictionType === 'epsilon') return sample - sigma * modelOutput;
    return modelOutput * (-sigma / Math.sqrt(sigma * sigma + 1)) + sample / (sigma * sigma + 1);
  }
}
