export { ModelsModule } from './models.module';
export { ModelCatalog } from './model-catalog';
export { modelErrors } from './model-errors';
export { readManifests } from './read-manifests';
export {
  LOCAL_ENGINES,
  MODEL_ENGINES,
  engineOf,
  remoteSpecOf,
  isBuilderSource,
  isNpmSource,
  jobTypesOf,
  modelManifestSchema,
  parseModelManifest,
  sizeOf,
  sourcePathInPackage,
  type BuilderModelSource,
  type LocalModelSource,
  type ModelEngine,
  type ModelFile,
  type ModelManifest,
  type ModelSource,
  type NpmModelSource,
} from './model-manifest';
export { FIXED_SCHEDULE_SAMPLERS, SAMPLERS, SAMPLER_NAMES, SIGMA_SCHEDULES, samplerByComfyName, type SamplerName, type SigmaSchedule } from './samplers';
export {
  BINDABLE_FIELDS,
  REMOTE_ENGINES,
  resilienceSchema,
  upstreamsOf,
  type ApiGraph,
  type BindableField,
  type ComfyuiRemoteSpec,
  type OpenaiImagesSpec,
  type RemoteEngineName,
  type RemoteEngineSpec,
  type Resilience,
} from './remote-engine-spec';
