import { DdpmBase } from './ddpm-base';
import { predictOriginal } from './ddpm-parametrisation';
import { assertSteps } from './guards';
import { alphasCumprod, linspace } from './noise-schedule';
import { resolveSchedulerConfig } from './schedule-config';
import type { GaussianSource, SchedulerConfig } from './scheduler';

/** LCM's consistency-model boundary condition: sigma_data 0.5, timesteps scaled by 10 (diffusers defaults). */
const SIGMA_DATA = 0.5;
const TIMESTEP_SCALING = 10;

/**
 * diffusers LCMScheduler: each step predicts the clean sample directly (the "denoised" output,
 * mixed with the input by c_skip/c_out) and, except after the last step, re-noises it with fresh
 * noise to the next timestep. Timesteps are picked from the `original_inference_steps` grid the
 * model was distilled on.
 */
export class LcmScheduler extends DdpmBase {
  readonly name = 'lcm';
  readonly timesteps: number[];

  constructor(config: SchedulerConfig, steps: number) {
    const resolved = resolveSchedulerConfig(config, 'leading');
    const original = resolved.originalInferenceSteps;
    assertSteps('lcm', steps, original, 'original_inference_steps');
    super(alphasCumprod(resolved), resolved.predictionType);
    // The distillation grid k-1, 2k-1, ..., N-1 (descending), then evenly spaced picks from it,
    // as current diffusers does (older releases took every (len // steps)-th entry).
    const k = Math.floor(resolved.numTrainTimesteps / original);
    const grid = Array.from({ length: original }, (_, i) => (original - i) * k - 1);
    this.timesteps = linspace(0, grid.length, steps, false).map((at) => grid[Math.floor(at)]);
  }

  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: GaussianSource): Float32Array {
    this.checkStep(stepIndex, modelOutput, sample);
    const timestep = this.timesteps[stepIndex];
    const alphaProd = this.alphasCumprod[timestep];
    const scaled = timestep * TIMESTEP_SCALING;
    const cSkip = SIGMA_DATA ** 2 / (scaled * scaled + SIGMA_DATA ** 2);
    const cOut = scaled / Math.sqrt(scaled * scaled + SIGMA_DATA ** 2);
    const denoised = sample.map((x, i) => cOut * predictOriginal(modelOutput[i], x, alphaProd, this.predictionType) + cSkip * x);
    if (stepIndex === this.timesteps.length - 1) return denoised;
    const alphaProdNext = this.alphasCumprod[this.timesteps[stepIndex + 1]];
    const signal = Math.sqrt(alphaProdNext);
    const spread = Math.sqrt(1 - alphaProdNext);
    return denoised.map((d) => signal * d + spread * noise());
  }
}
