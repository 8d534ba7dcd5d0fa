export { ModelsModule } from './models.module';
export { ModelCatalog } from './model-catalog';
export { modelErrors } from './model-errors';
export { readManifests } from './read-manifests';
export {
  MODEL_ENGINES,
  engineOf,
  isBuilderSource,
  isImportSource,
  isNpmSource,
  jobTypesOf,
  modelManifestSchema,
  parseModelManifest,
  sizeOf,
  sourcePathInPackage,
  type BuilderModelSource,
  type ImportModelSource,
  type LocalModelSource,
  type ModelEngine,
  type ModelFile,
  type ModelManifest,
  type ModelSource,
  type NpmModelSource,
} from './model-manifest';
export { SAMPLERS, SAMPLER_NAMES, SIGMA_SCHEDULES, samplerByComfyName, type SamplerName } from './samplers';
