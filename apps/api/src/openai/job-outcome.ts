import { JOB_END_CODES, jobErrors, type JobEntity } from '@atelier/jobs';
import { modelErrors } from '@atelier/models';
import type { ErrorCatalog } from '@atelier/platform';
import { storageErrors } from '@atelier/storage';
import { STATUS_OF_KIND } from '../http/error-response';

/** Codes of a job that gave no images, as the OpenAI surface answers them (a failed job keeps its own code). */
export const JOB_OUTCOME_CODES = { JOB_WAIT_TIMEOUT: 504, JOB_CANCELED: 409 } as const;

/**
 * The kinds of the codes a job can end with that the API knows; anything else, and the job's own
 * end codes (JOB_FAILED, JOB_TIMEOUT, JOB_STALLED: the work failed, not the request), is a 500.
 */
const KNOWN_CODES: ErrorCatalog = { ...storageErrors.codes, ...modelErrors.codes, ...jobErrors.codes };
const isJobEndCode = (code: string) => (JOB_END_CODES as readonly string[]).includes(code);

/**
 * A job that ended without images, or did not end in time, as an answer. Not a DomainError: 504
 * is no error kind of the API, and a failed job's code comes from the row. A retry would submit
 * another job, so the filter tells OpenAI clients not to retry it on their own.
 */
export class JobOutcomeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'JobOutcomeError';
  }
}

const follow = (jobId: string) => `follow it at /v1/jobs/${jobId}`;

/** Throws the answer for a job that did not succeed; returns the job when it did. */
export function succeededOrThrow(job: JobEntity | null, jobId: string, waitedMs: number): JobEntity {
  if (!job) throw jobErrors('JOB_NOT_FOUND', `Job ${jobId} is gone`);
  switch (job.status) {
    case 'succeeded':
      return job;
    case 'failed': {
      const code = job.error?.code ?? 'JOB_FAILED';
      const kind = isJobEndCode(code) ? undefined : KNOWN_CODES[code];
      throw new JobOutcomeError(kind ? STATUS_OF_KIND[kind] : 500, code, `Job ${job.id} failed: ${job.error?.message ?? 'no reason given'}`);
    }
    case 'canceled':
      throw new JobOutcomeError(JOB_OUTCOME_CODES.JOB_CANCELED, 'JOB_CANCELED', `Job ${job.id} was canceled before it made its images`);
    default:
      throw new JobOutcomeError(
        JOB_OUTCOME_CODES.JOB_WAIT_TIMEOUT,
        'JOB_WAIT_TIMEOUT',
        `Job ${job.id} is still ${job.status} after ${Math.round(waitedMs / 1000)} s; it goes on: ${follow(job.id)}`,
      );
  }
}
