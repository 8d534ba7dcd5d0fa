import type { JobEntity, JobError, JobOutput, JobProgress, JobStatus } from './job.entity';
import type { JobType } from './types/job-types';

/** The public job shape of API.md. */
export interface JobView {
  id: string;
  type: JobType;
  model: string | null;
  /** What the server accepted: defaults applied, a template rendered into `prompt`. */
  input: Record<string, unknown>;
  status: JobStatus;
  progress: JobProgress;
  queuePosition?: number;
  outputs: JobOutput[];
  error?: JobError;
  cost: number;
  attempts: number;
  /** The model that made the outputs: `model`, or its fallback when the job was degraded. */
  modelUsed?: string;
  /** True when the job ran on its model's fallback instead of failing. */
  degraded?: boolean;
  /** True when the result cache answered it with an earlier identical job's outputs. */
  cached?: boolean;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  links: { self: string; events: string };
}

/** Turns an image id into the URL clients get (a signed one: see SignedImageUrls). */
export type ImageUrlFor = (imageId: string) => string;

/** Image outputs get a fresh signed `url` on every read; the stored row keeps only the id. */
export const withUrls = (outputs: JobOutput[], urlFor: ImageUrlFor): JobOutput[] =>
  outputs.map((output) => ('imageId' in output ? { ...output, url: urlFor(output.imageId) } : output));

export function toJobView(job: JobEntity, urlFor: ImageUrlFor, queuePosition?: number): JobView {
  return {
    id: job.id,
    type: job.type,
    model: job.model,
    input: job.input,
    status: job.status,
    progress: job.progress,
    ...(job.status === 'queued' && queuePosition !== undefined ? { queuePosition } : {}),
    outputs: withUrls(job.outputs, urlFor),
    ...(job.error ? { error: job.error } : {}),
    cost: job.cost,
    attempts: job.attempts,
    ...(job.cached ? { cached: true } : {}),
    ...(job.status === 'succeeded' && job.model ? { modelUsed: job.modelUsed ?? job.model } : {}),
    ...(job.degraded ? { degraded: true } : {}),
    createdAt: job.createdAt.toISOString(),
    ...(job.startedAt ? { startedAt: job.startedAt.toISOString() } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
    links: { self: `/v1/jobs/${job.id}`, events: '/events' },
  };
}
