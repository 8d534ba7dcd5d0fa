import type { ModelFiles } from '../runtime/model-cache';
import { engineOf, type ModelManifest } from '@atelier/models';
import { type BatcherOptions, DynamicBatcher } from './batching/dynamic-batcher';
import type { AfterStep, GenerationItem, GenerationRun, GenerationShape, StepPreview } from './generation-request';
import { PATTERN_GENERATOR_IO } from './model-builder';
import { PatternPipeline } from './pattern/pattern-pipeline';
import { loadSdModel, releaseSdModel } from './stable-diffusion/load-sd-model';
import { OnnxNet } from './stable-diffusion/onnx-net';
import { StableDiffusionPipeline } from './stable-diffusion/sd-pipeline';
import { type LoraFile, writeMergedParts } from './lora/merged-model';

export interface EngineRequest {
  items: GenerationItem[];
  shape: GenerationShape;
  initImages?: Buffer[];
  onStep(step: number, totalSteps: number, previews: StepPreview[]): Promise<void>;
  isCanceled(): Promise<boolean>;
}

export interface EngineResult extends GenerationRun {
  batchedWith: number;
  canceled: boolean;
}

/** A loaded generation model: what the facade calls, whatever runs underneath. */
export interface GenerationEngine {
  readonly provider: string;
  readonly supportsImg2Img: boolean;
  generate(request: EngineRequest): Promise<EngineResult>;
  release(): Promise<void>;
}

/** Opens the engine a manifest names: Stable Diffusion behind a dynamic batcher, or the pattern generator. */
export async function openGenerationEngine(manifest: ModelManifest, files: ModelFiles, batching: BatcherOptions, loras: LoraFile[] = []): Promise<GenerationEngine> {
  switch (engineOf(manifest)) {
    case 'stable-diffusion':
      // By folder: real exports keep weights in external data files next to each model.onnx.
      return openStableDiffusion(files, batching, loras);
    case 'pattern-generator':
      return openPatternGenerator(files);
    default:
      throw new Error(`Model "${manifest.id}" is not a generation model (engine ${engineOf(manifest)})`);
  }
}

async function openStableDiffusion(files: ModelFiles, batching: BatcherOptions, loras: LoraFile[]): Promise<GenerationEngine> {
  const merged = loras.length ? writeMergedParts(files.dir, loras) : undefined;
  let components;
  try {
    components = await loadSdModel(files.dir, files.providers, files.logger, files.tuning, merged?.replacements);
  } finally {
    // The sessions hold the weights now; the merged files were only a way in.
    merged?.remove();
  }
  const pipeline = new StableDiffusionPipeline(components);
  const batcher = new DynamicBatcher((items, shape, inits, afterStep) => pipeline.run(items, shape, inits, afterStep), batching);
  return {
    get provider() {
      return pipeline.provider;
    },
    supportsImg2Img: components.vaeEncoder !== undefined,
    generate: (request) => batcher.submit(request),
    release: () => releaseSdModel(components),
  };
}

async function openPatternGenerator(files: ModelFiles): Promise<GenerationEngine> {
  const net = await OnnxNet.open(await files.bytes(PATTERN_GENERATOR_IO.file), files.providers, files.logger, files.tuning);
  const pipeline = new PatternPipeline(net);
  return {
    get provider() {
      return pipeline.provider;
    },
    supportsImg2Img: false,
    async generate(request) {
      let canceled = false;
      const afterStep: AfterStep = async (step, total, previews) => {
        if (await request.isCanceled()) {
          canceled = true;
          return previews.keys();
        }
        await request.onStep(step, total, [...previews.values()]);
      };
      const run = await pipeline.run(request.items, request.shape, afterStep);
      return { ...run, batchedWith: request.items.length, canceled };
    },
    release: () => net.release(),
  };
}
