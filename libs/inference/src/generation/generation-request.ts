import type { SigmaSchedule } from '@atelier/models';
import type { SchedulerName } from './schedulers';

/** One image to make. A job with `batch: n` becomes n items with seeds seed, seed+1, … */
export interface GenerationItem {
  prompt: string;
  negativePrompt: string;
  seed: number;
  guidance: number;
  /**
   * img2img inpainting: one byte per pixel of the output size, ≥ 128 where the image is
   * repainted (white), kept elsewhere.
   */
  mask?: Buffer;
}

/** What every item of one run shares: a batched run needs the same tensor shapes and schedule. */
export interface GenerationShape {
  width: number;
  height: number;
  steps: number;
  scheduler: SchedulerName;
  /** Where the sampler puts its sigmas; 'normal' (the model's own timesteps) when absent. */
  sigmaSchedule?: SigmaSchedule;
  /** img2img only: how far to noise the init image, 0..1. */
  strength?: number;
}

/** A finished image: interleaved RGB bytes. */
export interface GeneratedPixels {
  rgb: Buffer;
  width: number;
  height: number;
}

/** A step's cheap look at an unfinished image (SD: latents through a linear map; patterns: the rows so far). */
export type StepPreview = () => GeneratedPixels;

/** Called after each step with a preview per live item; resolves to the items to stop (their jobs were canceled). */
export type AfterStep = (step: number, totalSteps: number, previews: ReadonlyMap<number, StepPreview>) => Promise<Iterable<number> | void>;

export interface GenerationRun {
  /** Per item, in order; null for an item stopped by `afterStep`. */
  images: Array<GeneratedPixels | null>;
  /** The execution provider that did the work, e.g. 'cuda' or 'cpu'. */
  provider: string;
  /** What was given up to finish, e.g. 'unet batch 4 → 2 after out of memory'. */
  degradations: string[];
}

/** A job's generation request after validation, as the worker's handler passes it on. */
export interface GenerationJobRequest extends GenerationShape {
  kind: 'txt2img' | 'img2img';
  model: string;
  prompt: string;
  negativePrompt: string;
  guidance: number;
  seed: number;
  batch: number;
  /** img2img: the source image (any format sharp reads); resized to width × height. */
  initImage?: Buffer;
  /** img2img: the inpainting mask (any format sharp reads; white = repaint), resized like the image. */
  maskImage?: Buffer;
  /** LoRA models (engine `lora`) merged into the UNet and text encoder, with their weights. */
  loras?: Array<{ id: string; weight: number }>;
}

export interface GenerationJobHooks {
  /** For log lines. */
  jobId?: string;
  reportProgress(step: number, totalSteps: number, previewUrl?: string): Promise<void>;
  isCanceled(): Promise<boolean>;
}

export interface GeneratedImage {
  /** PNG with the generation parameters in tEXt chunks. */
  png: Buffer;
  width: number;
  height: number;
  seed: number;
}

export interface GenerationResult {
  images: GeneratedImage[];
  model: string;
  provider: string;
  degradations: string[];
  /** How many items ran in the same batched model call as this job's (dynamic batching). */
  batchedWith: number;
}
