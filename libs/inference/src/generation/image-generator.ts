import { Inject, Injectable } from '@nestjs/common';
import { INFERENCE_OPTIONS, type InferenceOptions } from '../inference-options';
import { join } from 'node:path';
import { modelErrors, engineOf, jobTypesOf, remoteSpecOf, sizeOf, type ModelManifest } from '@atelier/models';
import type { BatcherOptions } from './batching/dynamic-batcher';
import type { LoraFile } from './lora/merged-model';
import { ModelRegistry } from '../models/model-registry';
import { ModelCache, type ModelHandle } from '../runtime/model-cache';
import { RemoteEngines } from '../remote/remote-engines';
import { type GenerationEngine, openGenerationEngine } from './generation-engine';
import type { GenerationItem, GenerationJobHooks, GenerationJobRequest, GenerationResult } from './generation-request';
import { encodeGeneratedPng } from './output/generated-png';
import { loadInitImage, loadMaskImage } from './output/init-image';
import { previewDataUrl } from './output/latent-preview';

/** How many step previews a job gets at most (each is a small WebP in `job.progress.previewUrl`). */
const PREVIEWS_PER_JOB = 5;

/**
 * txt2img and img2img for the worker: picks the model, keeps it hot, expands a job into items
 * (seed, seed+1, …), turns steps into progress with previews, and returns PNGs that carry their
 * generation parameters.
 */
@Injectable()
export class ImageGenerator {
  private readonly engines = new Map<string, ModelHandle<GenerationEngine>>();
  private readonly batching: BatcherOptions;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly cache: ModelCache,
    @Inject(INFERENCE_OPTIONS) private readonly options: InferenceOptions,
    private readonly remote: RemoteEngines,
  ) {
    const batching = { maxBatch: options.generationMaxBatch ?? 8, maxWaitMs: options.generationBatchWaitMs ?? 20 };
    this.batching = batching;
    // Defined up front so MODEL_PRELOAD can name generation models too.
    for (const manifest of registry.list().filter((m) => (engineOf(m) === 'stable-diffusion' || engineOf(m) === 'pattern-generator') && !remoteSpecOf(m))) {
      this.engines.set(manifest.id, cache.define(manifest.id, (files) => openGenerationEngine(manifest, files, batching)));
    }
  }

  /** A remote model's request goes to its upstream hosts (RemoteEngines); the others run here. */
  async generate(request: GenerationJobRequest, hooks: GenerationJobHooks): Promise<GenerationResult | 'canceled'> {
    if (this.remote.handles(request.model)) {
      this.checkKind(request.model, request.kind);
      return this.remote.generate(request, hooks, hooks.jobId);
    }
    const handle = this.engine(request.model, request.kind);
    return this.withLoras(handle, request.model, request.loras ?? []).use((engine) => this.generateWith(engine, request, hooks));
  }

  private async generateWith(engine: GenerationEngine, request: GenerationJobRequest, hooks: GenerationJobHooks): Promise<GenerationResult | 'canceled'> {
    const model = request.model;
    if (request.kind === 'img2img' && !engine.supportsImg2Img) {
      throw modelErrors('MODEL_CANNOT_IMG2IMG', `Model ${model} has no VAE encoder, so it cannot do img2img`);
    }
    const mask = request.maskImage ? await loadMaskImage(request.maskImage, request.width, request.height) : undefined;
    const items: GenerationItem[] = Array.from({ length: request.batch }, (_, i) => ({
      prompt: request.prompt,
      negativePrompt: request.negativePrompt,
      seed: (request.seed + i) >>> 0,
      guidance: request.guidance,
      ...(mask ? { mask } : {}),
    }));
    const init = request.initImage ? await loadInitImage(request.initImage, request.width, request.height) : undefined;
    const every = Math.max(1, Math.floor(request.steps / PREVIEWS_PER_JOB));
    const result = await engine.generate({
      items,
      shape: { width: request.width, height: request.height, steps: request.steps, scheduler: request.scheduler, sigmaSchedule: request.sigmaSchedule, strength: request.strength },
      ...(init ? { initImages: items.map(() => init) } : {}),
      isCanceled: hooks.isCanceled,
      onStep: async (step, total, previews) => {
        const preview = step < total && step % every === 0 && previews[0] ? previews[0]() : undefined;
        await hooks.reportProgress(step, total, preview ? await previewDataUrl(preview.rgb, preview.height, preview.width) : undefined);
      },
    });
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

  /**
   * The model with these LoRAs merged: a cache entry of its own per combination (ids and weights,
   * in the order given), over the base model's files. Weight-0 LoRAs change nothing and are
   * dropped, so a request whose LoRAs all weigh 0 runs the base model itself.
   */
  private withLoras(base: ModelHandle<GenerationEngine>, model: string, loras: ReadonlyArray<{ id: string; weight: number }>): ModelHandle<GenerationEngine> {
    const active = loras.filter((l) => l.weight !== 0);
    if (active.length === 0) return base;
    const manifest = this.registry.get(model);
    if (engineOf(manifest) !== 'stable-diffusion') throw modelErrors('MODEL_WRONG_PIPELINE', `Model ${model} takes no LoRA`);
    const files: LoraFile[] = active.map(({ id, weight }) => {
      const lora = this.registry.has(id) ? this.registry.get(id) : undefined;
      if (!lora || engineOf(lora) !== 'lora') throw modelErrors('UNKNOWN_MODEL', `Unknown LoRA ${id}`);
      return { id, weight, path: join(this.options.modelsDir, id, lora.files[0].name) };
    });
    const key = `${model}+${active.map((l) => `${l.id}@${l.weight}`).join('+')}`;
    const extraBytes = active.reduce((n, l) => n + sizeOf(this.registry.get(l.id)), 0);
    return this.cache.define(key, (modelFiles) => openGenerationEngine(manifest, modelFiles, this.batching, files), { from: model, extraBytes });
  }

  private engine(model: string, kind: string): ModelHandle<GenerationEngine> {
    this.checkKind(model, kind);
    const handle = this.engines.get(model);
    if (!handle) throw modelErrors('MODEL_WRONG_PIPELINE', `Model ${model} does not do ${kind}`);
    return handle;
  }

  private checkKind(model: string, kind: string): ModelManifest {
    let manifest: ModelManifest;
    try {
      manifest = this.registry.get(model);
    } catch {
      throw modelErrors('UNKNOWN_MODEL', `Unknown model ${model}`);
    }
    if (!jobTypesOf(manifest).includes(kind)) throw modelErrors('MODEL_WRONG_PIPELINE', `Model ${model} does not do ${kind}`);
    return manifest;
  }
}
