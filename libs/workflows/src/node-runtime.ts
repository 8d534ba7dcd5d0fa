import type { ClassicStyle } from './classic-styles';
import type { EncodedImage, ImageBatch } from './values';

export interface GenerateRequest {
  model: string;
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  steps: number;
  guidance: number;
  seed: number;
  batch: number;
  /** Atelier's sampler name (SAMPLERS in @atelier/models). */
  sampler: string;
  /** ComfyUI's `scheduler` (SIGMA_SCHEDULES in @atelier/models). */
  sigmaSchedule: string;
  /** img2img: the image to start from and how far to move away from it. */
  initImage?: EncodedImage;
  strength?: number;
}

/** The UI result of a node: what `executed` and the job's outputs show. Every value is a list. */
export type NodeUi = { images?: Array<{ imageId: string; width: number; height: number; preview?: boolean }> } & Record<string, unknown[]>;

/**
 * What nodes may do, provided by the worker (which owns the models, sharp and storage). Nodes
 * compose these; they never import the inference engine, so the API can read their specs.
 */
export interface NodeRuntime {
  generate(request: GenerateRequest): Promise<ImageBatch>;
  /** By a super-resolution model, or with Lanczos when `model` is null. */
  upscale(image: EncodedImage, scale: number, model: string | null): Promise<EncodedImage>;
  resize(image: EncodedImage, width: number, height: number, method: string, crop: 'disabled' | 'center'): Promise<EncodedImage>;
  crop(image: EncodedImage, rect: { left: number; top: number; width: number; height: number }): Promise<EncodedImage>;
  blur(image: EncodedImage, radius: number, sigma: number): Promise<EncodedImage>;
  sharpen(image: EncodedImage, radius: number, sigma: number, alpha: number): Promise<EncodedImage>;
  invert(image: EncodedImage): Promise<EncodedImage>;
  blend(base: EncodedImage, top: EncodedImage, factor: number, mode: string): Promise<EncodedImage>;
  solid(width: number, height: number, rgb: number): Promise<EncodedImage>;
  /** The caller's image by id (LoadImage), and its channel as a mask (LoadImageMask). */
  loadImage(imageId: string): Promise<EncodedImage>;
  loadMask(imageId: string, channel: 'alpha' | 'red' | 'green' | 'blue'): Promise<EncodedImage>;
  /** Stores an image as one of the job's outputs. */
  saveImage(image: EncodedImage, options: { preview: boolean }): Promise<{ imageId: string; width: number; height: number }>;
  ocr(image: EncodedImage): Promise<unknown>;
  detectFaces(image: EncodedImage): Promise<unknown>;
  detectLines(image: EncodedImage): Promise<{ segments: unknown[]; map: EncodedImage }>;
  /** The classical analyses and styles (no model): the detect-corruption, assess-quality and stylize job types. */
  detectCorruption(image: EncodedImage): Promise<unknown>;
  assessQuality(image: EncodedImage): Promise<unknown>;
  stylize(image: EncodedImage, style: ClassicStyle): Promise<EncodedImage>;
  /** Step progress of the running node, e.g. sampler steps or upscale tiles. */
  progress(step: number, totalSteps: number, previewUrl?: string): Promise<void>;
  /** True once the job was canceled; nodes check it between long steps (the sampler does at every step). */
  isCanceled(): Promise<boolean>;
}
