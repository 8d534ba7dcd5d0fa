export { createModelCache, type ModelCacheSettings } from './create-model-cache';
export { ModelCache, type ModelHandle, type ModelOpener } from './model-cache';
export type { LoadedModel, ModelCacheStatus, ModelTier } from './model-cache-entry';
export { DEFAULT_MODEL_CACHE_OPTIONS, type ModelCacheOptions } from './model-cache-options';
export type { ModelFiles, SessionModel } from './model-files';
