import type { CostRule, Workload } from '@atelier/billing';
import type { NodeRuntime, NodeUi } from './node-runtime';
import type { CheckpointRef, Conditioning, ImageBatch, Latent, UpscaleModelRef } from './values';

/** The dynamic choices of combo inputs: what this install and this caller have. */
export interface NodeChoices {
  checkpoints: readonly string[];
  upscaleModels: readonly string[];
  /** The caller's images by the names LoadImage takes (`<imageId>.png`), newest first. */
  images: readonly string[];
}

/** What flows along a link, by ComfyUI type name. */
export interface LinkValues {
  MODEL: CheckpointRef;
  CLIP: CheckpointRef;
  VAE: CheckpointRef;
  CONDITIONING: Conditioning;
  LATENT: Latent;
  IMAGE: ImageBatch;
  MASK: ImageBatch;
  UPSCALE_MODEL: UpscaleModelRef;
  STRING: string;
}
export type LinkType = keyof LinkValues;

export type InputSpec =
  | { kind: 'link'; type: LinkType }
  | { kind: 'int'; default: number; min: number; max: number; step?: number; multipleOf?: number; controlAfterGenerate?: boolean }
  | { kind: 'float'; default: number; min: number; max: number; step: number; round?: number }
  | { kind: 'string'; default?: string; multiline?: boolean }
  | { kind: 'boolean'; default: boolean }
  | { kind: 'combo'; options: (choices: NodeChoices) => readonly string[]; default?: string; imageUpload?: boolean };

/** An input's value as a node's `run` receives it. */
export type ValueOf<S extends InputSpec> = S extends { kind: 'link'; type: infer T extends LinkType }
  ? LinkValues[T]
  : S extends { kind: 'int' | 'float' }
    ? number
    : S extends { kind: 'boolean' }
      ? boolean
      : string;

export type InputSpecs = Record<string, InputSpec>;
export type InputsOf<R extends InputSpecs, O extends InputSpecs> = { [K in keyof R]: ValueOf<R[K]> } & { [K in keyof O]?: ValueOf<O[K]> };

/** What a node's cost and workload are computed from before it runs: its literal inputs and what it is linked to. */
export interface StaticNode {
  readonly classType: string;
  /** A literal input, coerced and defaulted; undefined for a linked or absent one. */
  literal(name: string): unknown;
  /** The node an input is linked to, or undefined. */
  source(name: string): StaticNode | undefined;
}

export interface NodeResult {
  /** One value per declared output, in order. */
  outputs: unknown[];
  /** What `executed` and the job's outputs show, for output nodes. */
  ui?: NodeUi;
}

export interface NodeSpec<R extends InputSpecs = InputSpecs, O extends InputSpecs = InputSpecs> {
  readonly classType: string;
  readonly displayName: string;
  readonly category: string;
  readonly description: string;
  readonly inputs: { required: R; optional?: O };
  readonly outputs: ReadonlyArray<{ type: LinkType | 'INT' | 'FLOAT'; name: string }>;
  /** Runs even when nothing consumes it, and its `ui` is a result (SaveImage, PreviewImage, analysis). */
  readonly outputNode?: boolean;
  /** Its price (PRICES in @atelier/billing) and, for scaling work, the workload it prices. */
  readonly cost?: { rule: CostRule; workload?: (node: StaticNode) => Workload };
  /** Progress steps it reports, for the workflow's overall progress (1 when absent). */
  readonly steps?: (node: StaticNode) => number;
  run(inputs: InputsOf<R, O>, runtime: NodeRuntime): Promise<NodeResult>;
}

export type AnyNodeSpec = NodeSpec<InputSpecs, InputSpecs>;

/** Checks a node's spec at compile time and types its `run` inputs from the input specs. */
export const defineNode = <R extends InputSpecs, O extends InputSpecs = Record<never, never>>(spec: NodeSpec<R, O>) => spec as unknown as AnyNodeSpec;

export const link = <T extends LinkType>(type: T) => ({ kind: 'link', type }) as const;
export const int = (value: number, min: number, max: number, extra: { step?: number; multipleOf?: number; controlAfterGenerate?: boolean } = {}) =>
  ({ kind: 'int', default: value, min, max, ...extra }) as const;
export const float = (value: number, min: number, max: number, step: number, round?: number) =>
  ({ kind: 'float', default: value, min, max, step, ...(round !== undefined ? { round } : {}) }) as const;
export const combo = (options: (choices: NodeChoices) => readonly string[], extra: { default?: string; imageUpload?: boolean } = {}) =>
  ({ kind: 'combo', options, ...extra }) as const;
export const fixed = (...options: string[]) => combo(() => options, { default: options[0] });
