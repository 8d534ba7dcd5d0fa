import { z } from 'zod';
import { costOf, type CostRule, type Workload } from '@atelier/billing';
import type { ModelCatalog } from '@atelier/models';

export type { CostRule, Workload } from '@atelier/billing';

/** Model work goes to the `gpu` lane; plain image operations to the `cpu` lane. */
export type JobLane = 'gpu' | 'cpu';

/** `light`: short GPU work (detections, OCR) with its own queue and worker slots; `heavy`: the rest. */
export type JobClass = 'light' | 'heavy';

export interface JobOutputDescription {
  kind: 'image' | 'json';
  description: string;
}

/** What a type's `accept` hook may consult: the declared models and which images are the caller's. */
export interface AcceptContext {
  models: ModelCatalog;
  /** Of these image ids, those that name an image of the caller's. */
  ownedImages(imageIds: string[]): Promise<ReadonlySet<string>>;
}

/** What a type's `accept` hook found out about an input that its schema alone cannot say. */
export interface Acceptance {
  cost: number;
  workload?: Workload;
  /** Texts that go to a text encoder: the prompt policy checks them. */
  prompts: string[];
  /** Anything worth telling the client that did not refuse the input (a workflow's failed optional outputs). */
  nodeErrors?: unknown;
}

/**
 * Everything about one job type, in one place. Validation, the OpenAPI body, the quote,
 * `GET /v1/job-types`, plan limits, the queue's time limit and the worker's typed handler input
 * all derive from it.
 */
export interface JobTypeDefinition<Type extends string = string, Input extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly lane: JobLane;
  /** Default `heavy`. Light GPU work is never queued behind generations. */
  readonly jobClass?: JobClass;
  readonly description: string;
  /** The `input` object's schema: what the server validates, documents and applies defaults from. */
  readonly input: Input;
  readonly outputs: readonly JobOutputDescription[];
  readonly cost: CostRule;
  /** Time limit of one attempt on a worker: past it the attempt is stopped (like a cancel) and retried. */
  readonly attemptTimeoutMs: number;
  /** Time limit of all attempts together, from the first start (default: four attempts' worth). */
  readonly deadlineMs?: number;
  /**
   * Whether the same input always makes the same outputs, so the result cache may answer it
   * (default: yes). A generation without a seed gets one from its job id: not deterministic.
   */
  readonly deterministic?: false | ((input: z.output<Input>) => boolean);
  /** The job types whose models this type's work runs, for the result cache key (default: its own). */
  readonly modelsOf?: readonly string[];
  /** Whether `model` picks a model manifest for this type (one whose jobTypes include it). */
  readonly usesModel: boolean;
  /** The setting naming the model a job without `model` gets (checked against the manifests at start-up). */
  readonly defaultModelSetting?: 'DEFAULT_TXT2IMG_MODEL' | 'DEFAULT_IMG2IMG_MODEL';
  /** Pixels, steps and batch, when the type's work scales with them (cost, plan limits). */
  readonly workload?: (input: z.output<Input>) => Workload;
  /** Fields holding prompts, checked by the prompt policy whether typed or rendered from a template. */
  readonly promptFields?: ReadonlyArray<keyof z.output<Input> & string>;
  /**
   * For inputs whose checks and price depend on more than their own fields (a workflow graph: its
   * nodes, the models and images it names). Throws a DomainError to refuse; its cost replaces the rule's.
   */
  readonly accept?: (input: z.output<Input>, context: AcceptContext) => Promise<Acceptance>;
}

export type AnyJobTypeDefinition = JobTypeDefinition<string, z.ZodType>;
export type InputOf<D extends AnyJobTypeDefinition> = z.output<D['input']>;

/** Checks a definition's shape at compile time and keeps its literal type name. */
export const defineJobType = <const Type extends string, Input extends z.ZodType>(definition: JobTypeDefinition<Type, Input>) => definition;

/** The credits a job costs by its type's rule and its (validated) input; `accept` may price it instead. */
export function quoteCost(definition: AnyJobTypeDefinition, input: unknown): number {
  return costOf(definition.cost, definition.workload?.(input));
}

/** The JSON Schema of the input a client sends (defaults shown, not required). */
export const inputJsonSchema = (definition: AnyJobTypeDefinition): Record<string, unknown> =>
  z.toJSONSchema(definition.input, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;

/** A type needs an image when its input requires `imageId`. */
export const needsImage = (definition: AnyJobTypeDefinition): boolean =>
  ((inputJsonSchema(definition).required as string[] | undefined) ?? []).includes('imageId');
