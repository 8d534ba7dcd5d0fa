import { z } from 'zod';

/** Model work goes to the `gpu` lane; plain image operations to the `cpu` lane. */
export type JobLane = 'gpu' | 'cpu';

export interface JobOutputDescription {
  kind: 'image' | 'json';
  description: string;
}

/** The size of a job's work, for its cost and the plan's per-job limits. */
export interface Workload {
  pixels: number;
  steps: number;
  batch: number;
}

/** Credits: `base`, or for work that scales, `perMegapixelStep` × megapixels (2²⁰ px) × steps × batch, at least `base`. */
export interface CostRule {
  base: number;
  perMegapixelStep?: number;
}

/**
 * Everything about one job type, in one place. Validation, the OpenAPI body, the quote,
 * `GET /v1/job-types`, plan limits, the queue's time limit and the worker's typed handler input
 * all derive from it.
 */
export interface JobTypeDefinition<Type extends string = string, Input extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly lane: JobLane;
  readonly description: string;
  /** The `input` object's schema: what the server validates, documents and applies defaults from. */
  readonly input: Input;
  readonly outputs: readonly JobOutputDescription[];
  readonly cost: CostRule;
  /** Time limit of one attempt on a worker. */
  readonly attemptTimeoutMs: number;
  /** Whether `model` picks a model manifest for this type (one whose jobTypes include it). */
  readonly usesModel: boolean;
  /** The setting naming the model a job without `model` gets (checked against the manifests at start-up). */
  readonly defaultModelSetting?: 'DEFAULT_TXT2IMG_MODEL' | 'DEFAULT_IMG2IMG_MODEL';
  /** Pixels, steps and batch, when the type's work scales with them (cost, plan limits). */
  readonly workload?: (input: z.output<Input>) => Workload;
  /** Fields holding prompts, checked by the prompt policy whether typed or rendered from a template. */
  readonly promptFields?: ReadonlyArray<keyof z.output<Input> & string>;
}

export type AnyJobTypeDefinition = JobTypeDefinition<string, z.ZodType>;
export type InputOf<D extends AnyJobTypeDefinition> = z.output<D['input']>;

/** Checks a definition's shape at compile time and keeps its literal type name. */
export const defineJobType = <const Type extends string, Input extends z.ZodType>(definition: JobTypeDefinition<Type, Input>) => definition;

const MEGAPIXEL = 2 ** 20;

/** The credits a job costs, from its type's rule and its (validated) input. */
export function quoteCost(definition: AnyJobTypeDefinition, input: unknown): number {
  const { base, perMegapixelStep } = definition.cost;
  if (perMegapixelStep === undefined || !definition.workload) return base;
  const { pixels, steps, batch } = definition.workload(input);
  return Math.max(base, Math.ceil(perMegapixelStep * (pixels / MEGAPIXEL) * steps * batch));
}

/** The JSON Schema of the input a client sends (defaults shown, not required). */
export const inputJsonSchema = (definition: AnyJobTypeDefinition): Record<string, unknown> =>
  z.toJSONSchema(definition.input, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;

/** A type needs an image when its input requires `imageId`. */
export const needsImage = (definition: AnyJobTypeDefinition): boolean =>
  ((inputJsonSchema(definition).required as string[] | undefined) ?? []).includes('imageId');
