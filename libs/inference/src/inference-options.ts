import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import type { SessionTuning } from './runtime/create-inference-session';
import type { ModelCacheOptions } from './runtime/model-cache/model-cache-options';

export interface InferenceOptions {
  /** Prepared model files live in `<modelsDir>/<model id>/` (see `npm run models:prepare`). */
  modelsDir: string;
  /** Folder of `<model id>.json` manifests. */
  manifestsDir: string;
  /** onnxruntime execution providers, tried in order, e.g. ['cuda', 'cpu']. */
  executionProviders: string[];
  /** CPU threading of every session (threads per operator, spinning). */
  sessionTuning?: SessionTuning;
  /** Minimum face score, 0..1; 0.5 by default. */
  faceScoreThreshold?: number;
  /** Dynamic batching: most images in one generation run (8 by default). */
  generationMaxBatch?: number;
  /** Dynamic batching: how long a generation request waits for others to join (20 ms by default). */
  generationBatchWaitMs?: number;
  /** The super-resolution model an `upscale` job without `model` uses. */
  upscaleModel?: string;
  /** Input pixels per tile side for super-resolution (192 by default). */
  upscaleTileSize?: number;
  /** Hot/warm budgets, idle TTL, preload list and failure cool-down; defaults in DEFAULT_MODEL_CACHE_OPTIONS. */
  modelCache?: Partial<ModelCacheOptions>;
}

export const INFERENCE_OPTIONS = Symbol('INFERENCE_OPTIONS');

export interface InferenceModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** Gets the `inject` values in order; `any` so factories can type their parameters. */
  useFactory: (...args: any[]) => InferenceOptions | Promise<InferenceOptions>;
}
