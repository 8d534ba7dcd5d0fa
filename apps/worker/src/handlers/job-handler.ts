import type { InputOf, JOB_TYPE_BY_NAME, JobEntity, JobEventPayloads, JobOutput, JobType, NodeProgress } from '@atelier/jobs';
import type { ImageView } from '@atelier/storage';

/** What a handler gets to do its work: the job row, its input parsed by its type's schema, progress and a cancel check. */
export interface JobContext<Input = unknown> {
  job: JobEntity;
  input: Input;
  reportProgress(step: number, totalSteps: number, previewUrl?: string, node?: NodeProgress): Promise<void>;
  /** Workflow jobs: a node was served from the cache, started or produced its result. */
  reportNode<E extends NodeEventName>(event: E, payload: Omit<JobEventPayloads[E], 'jobId'>): void;
  /** True once the owner canceled; long handlers check it between steps. */
  isCanceled(): Promise<boolean>;
  /** The outputs come from this fallback model, not the job's own (the job says `degraded`). */
  ranOnFallback(modelId: string): void;
}

export type DefinitionOf<T extends JobType> = (typeof JOB_TYPE_BY_NAME)[T];
/** The context of a `T` job: `input` typed from T's schema, defaults applied. */
export type ContextOf<T extends JobType> = JobContext<InputOf<DefinitionOf<T>>>;

/** The worker side of one job type: its definition (from libs/jobs) and the work. */
export interface JobHandler<T extends JobType = JobType> {
  readonly definition: DefinitionOf<T>;
  run(context: ContextOf<T>): Promise<JobOutput[]>;
}

export type NodeEventName = 'job.nodes.cached' | 'job.node.started' | 'job.node.executed';

/** Multi-provider token: every handler registers under it; the runner indexes them by type. */
export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/** Thrown by a handler that saw the cancel between two steps; the job is already `canceled`. */
export class JobCanceled extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} canceled`);
  }
}

/** A stored image as a job output; the URL is signed again on every read. */
export const imageOutput = (image: ImageView): JobOutput => ({
  imageId: image.id,
  url: `/v1/images/${image.id}/content`,
  width: image.width,
  height: image.height,
});
