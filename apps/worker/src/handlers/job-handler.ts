import type { JobEntity, JobOutput, JobType } from '@atelier/jobs';

/** What a handler gets to do its work: the job row, progress reporting and a cancel check. */
export interface JobContext {
  job: JobEntity;
  reportProgress(step: number, totalSteps: number, previewUrl?: string): Promise<void>;
  /** True once the owner canceled; long handlers check it between steps. */
  isCanceled(): Promise<boolean>;
}

export interface JobHandler {
  readonly type: JobType;
  run(context: JobContext): Promise<JobOutput[]>;
}

/** Multi-provider token: every handler registers under it; the runner indexes them by type. */
export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/** Thrown by a handler that saw the cancel between two steps; the job is already `canceled`. */
export class JobCanceled extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} canceled`);
  }
}
