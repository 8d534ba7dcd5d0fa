/** The samplers of SAMPLERS (@atelier/models), which job inputs and workflow nodes offer; createScheduler implements each. */
export type { SamplerName as SchedulerName } from '@atelier/models';
import type { SamplerName as SchedulerName } from '@atelier/models';

/**
 * The fields of a diffusers `scheduler_config.json` that these schedulers read (snake_case as in
 * the file, so a parsed config can be passed as is). Other fields are ignored; missing ones take
 * Stable Diffusion 1.5's values, except `timestep_spacing`, which defaults per scheduler as in diffusers.
 */
export interface SchedulerConfig {
  num_train_timesteps?: number;
  beta_start?: number;
  beta_end?: number;
  beta_schedule?: string;
  prediction_type?: string;
  timestep_spacing?: string;
  steps_offset?: number;
  set_alpha_to_one?: boolean;
  original_inference_steps?: number;
}

/** A standard-normal source; the pipeline passes a seeded one so runs are reproducible. */
export type GaussianSource = () => number;

export interface Scheduler {
  readonly name: SchedulerName;
  /** The timesteps the UNet sees, in order (descending), one per step. Euler's may be fractional. */
  readonly timesteps: number[];
  /** Multiply the initial Gaussian noise by this (sigma_max for Euler, 1 for DDIM/LCM). */
  readonly initNoiseSigma: number;
  /** The UNet input for step i (Euler divides by sqrt(sigma^2+1); DDIM/LCM return the sample unchanged). */
  scaleModelInput(sample: Float32Array, stepIndex: number): Float32Array;
  /** One denoising step: the sample for the next step (after the last step: the final latents). Must not mutate inputs. */
  step(modelOutput: Float32Array, stepIndex: number, sample: Float32Array, noise: GaussianSource): Float32Array;
  /** img2img: noise `original` to the noise level of step `stepIndex` (the first step that will run). */
  addNoise(original: Float32Array, noise: Float32Array, stepIndex: number): Float32Array;
}
