import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';

export interface InferenceOptions {
  /** Prepared model files live in `<modelsDir>/<model id>/` (see `npm run models:prepare`). */
  modelsDir: string;
  /** Folder of `<model id>.json` manifests. */
  manifestsDir: string;
  /** onnxruntime execution providers, tried in order, e.g. ['cuda', 'cpu']. */
  executionProviders: string[];
  /** Minimum face score, 0..1; 0.5 by default. */
  faceScoreThreshold?: number;
}

export const INFERENCE_OPTIONS = Symbol('INFERENCE_OPTIONS');

export interface InferenceModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** Gets the `inject` values in order; `any` so factories can type their parameters. */
  useFactory: (...args: any[]) => InferenceOptions | Promise<InferenceOptions>;
}
