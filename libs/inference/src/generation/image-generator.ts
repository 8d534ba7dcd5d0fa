import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DomainError } from '@atelier/platform';
import { INFERENCE_OPTIONS, type InferenceOptions } from '../inference-options';
import { engineOf, jobTypesOf } from '../models/model-manifest';
import { ModelRegistry } from '../models/model-registry';
import { type GenerationEngine, openGenerationEngine } from './generation-engine';
import type { GenerationItem, GenerationJobHooks, GenerationJobRequest, GenerationResult } from './generation-request';
import { encodeGeneratedPng } from './output/generated-png';
import { loadInitImage } from './output/init-image';
import { previewDataUrl } from './output/latent-preview';

export interface GenerationRuntime {
  provider?: string;
  loadMs?: number;
  lastUsed?: Date;
  error?: string;
}

/** How many step previews a job gets at most (each is a small WebP in `job.progress.previewUrl`). */
const PREVIEWS_PER_JOB = 5;

/**
 * txt2img and img2img for the worker: picks the model, keeps it hot, expands a job into items
 * (seed, seed+1, …), turns steps into progress with previews, and returns PNGs that carry their
 * generation parameters.
 */
@Injectable()
export class ImageGenerator implements OnModuleDestroy {
  private readonly logger = new Logger(ImageGenerator.name);
  private readonly engines = new Map<string, Promise<GenerationEngine>>();
  private readonly runtime = new Map<string, GenerationRuntime>();

  constructor(
    private readonly registry: ModelRegistry,
    @Inject(INFERENCE_OPTIONS) private readonly options: InferenceOptions,
  ) {}

  async generate(request: GenerationJobRequest, hooks: GenerationJobHooks): Promise<GenerationResult | 'canceled'> {
    const model = request.model;
    const engine = await this.engine(model, request.kind);
    if (request.kind === 'img2img' && !engine.supportsImg2Img) {
      throw new DomainError('invalid', 'MODEL_CANNOT_IMG2IMG', `Model ${model} has no VAE encoder, so it cannot do img2img`);
    }
    const items: GenerationItem[] = Array.from({ length: request.batch }, (_, i) => ({
      prompt: request.prompt,
      negativePrompt: request.negativePrompt,
      seed: (request.seed + i) >>> 0,
      guidance: request.guidance,
    }));
    const init = request.initImage ? await loadInitImage(request.initImage, request.width, request.height) : undefined;
    const every = Math.max(1, Math.floor(request.steps / PREVIEWS_PER_JOB));
    const result = await engine.generate({
      items,
      shape: { width: request.width, height: request.height, steps: request.steps, scheduler: request.scheduler, strength: request.strength },
      ...(init ? { initImages: items.map(() => init) } : {}),
      isCanceled: hooks.isCanceled,
      onStep: async (step, total, previews) => {
        const preview = step < total && step % every === 0 && previews[0] ? previews[0]() : undefined;
        await hooks.reportProgress(step, total, preview ? await previewDataUrl(preview.rgb, preview.height, preview.width) : undefined);
      },
    });
    this.runtime.set(model, { ...this.runtime.get(model), provider: result.provider, lastUsed: new Date() });
    if (result.canceled) return 'canceled';
    const images = await Promise.all(
      result.images.map(async (pixels, i) => {
        if (!pixels) throw new Error(`item ${i} of job produced no image`);
        const png = await encodeGeneratedPng(pixels, { ...request, model, seed: items[i].seed, provider: result.provider });
        return { png, width: pixels.width, height: pixels.height, seed: items[i].seed };
      }),
    );
    return { images, model, provider: result.provider, degradations: result.degradations, batchedWith: result.batchedWith };
  }

  /** What /v1/models shows for each generation model this worker has touched. */
  runtimeStatus(modelId: string): GenerationRuntime | undefined {
    return this.runtime.get(modelId);
  }

  async onModuleDestroy(): Promise<void> {
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(engines.map(async (e) => (await e.catch(() => undefined))?.release()));
  }

  private engine(model: string, kind: string): Promise<GenerationEngine> {
    let manifest;
    try {
      manifest = this.registry.get(model);
    } catch {
      throw new DomainError('invalid', 'UNKNOWN_MODEL', `Unknown model ${model}`);
    }
    if (engineOf(manifest) === 'single-file' || !jobTypesOf(manifest).includes(kind)) {
      throw new DomainError('invalid', 'MODEL_WRONG_PIPELINE', `Model ${model} does not do ${kind}`);
    }
    let engine = this.engines.get(model);
    if (!engine) {
      const started = Date.now();
      engine = openGenerationEngine(manifest, join(this.options.modelsDir, model), this.options.executionProviders, {
        maxBatch: this.options.generationMaxBatch ?? 8,
        maxWaitMs: this.options.generationBatchWaitMs ?? 20,
      }, this.logger).then(
        (opened) => {
          this.runtime.set(model, { provider: opened.provider, loadMs: Date.now() - started });
          return opened;
        },
        (error: unknown) => {
          this.engines.delete(model);
          this.runtime.set(model, { error: error instanceof Error ? error.message : String(error) });
          throw error;
        },
      );
      this.engines.set(model, engine);
    }
    return engine;
  }
}
