import type { ModelRegistry } from '../../models/model-registry';
import type { SessionTuning } from '../create-inference-session';
import { ModelCache } from './model-cache';
import { DEFAULT_MODEL_CACHE_OPTIONS, type ModelCacheOptions } from './model-cache-options';

export interface ModelCacheSettings {
  modelsDir: string;
  executionProviders: string[];
  sessionTuning?: SessionTuning;
  modelCache?: Partial<ModelCacheOptions>;
}

/** The worker's model cache over the registry's manifests (defaults filled in). */
export function createModelCache(registry: ModelRegistry, settings: ModelCacheSettings): ModelCache {
  return new ModelCache({ ...DEFAULT_MODEL_CACHE_OPTIONS, ...settings.modelCache }, {
    modelsDir: settings.modelsDir,
    executionProviders: settings.executionProviders,
    sessionTuning: settings.sessionTuning,
    filesOf: (id) => (registry.has(id) ? registry.get(id).files : []),
  });
}
