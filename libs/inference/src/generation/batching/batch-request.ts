import type { GeneratedPixels, GenerationItem, GenerationRun, GenerationShape, StepPreview } from '../generation-request';

export interface BatcherOptions {
  /** Most items in one model run. */
  maxBatch: number;
  /** How long the first waiting request may wait for company before its batch runs. */
  maxWaitMs: number;
}

export interface BatchedRequest {
  items: GenerationItem[];
  shape: GenerationShape;
  /** img2img: one RGB buffer (width × height × 3) per item. */
  initImages?: Buffer[];
  /** Called after every step with this request's previews, in item order. */
  onStep(step: number, totalSteps: number, previews: StepPreview[]): Promise<void>;
  isCanceled(): Promise<boolean>;
}

export interface BatchedResult {
  images: Array<GeneratedPixels | null>;
  provider: string;
  degradations: string[];
  /** Items in the model run this request was part of (its own included). */
  batchedWith: number;
  canceled: boolean;
}

export type BatchExecutor = (
  items: GenerationItem[],
  shape: GenerationShape,
  initImages: Buffer[] | undefined,
  afterStep: (step: number, totalSteps: number, previews: ReadonlyMap<number, StepPreview>) => Promise<Iterable<number>>,
) => Promise<GenerationRun>;
