/** The API shapes the page uses: the typed client's, plus the few it does not cover. */
export type { Image, Job, JobOutput, JobStatus, Session, User } from '../../../client/src/types';
import type { JobOutput } from '../../../client/src/types';

/** A job body as `POST /v1/jobs` takes it. */
export interface JobRequest {
  type: string;
  model?: string;
  input: Record<string, unknown>;
}

/** An image output; generated images also carry the `seed` that made them. */
export type ImageOutput = Extract<JobOutput, { imageId: string }> & { seed?: number };

export interface Billing {
  plan: string;
  balance: number;
  reserved: number;
  limits: { maxPixels: number; maxBatch: number; ratePerMinute: number; maxConcurrentJobs: number };
}

export interface Model {
  id: string;
  pipeline: string;
  /** The job types it serves (newer servers); `[pipeline]` otherwise. */
  jobTypes?: string[];
  description: string;
  state: 'hot' | 'warm' | 'cold';
}

export interface Template {
  id: string;
  name: string;
  version: number;
}

export interface ImageDetail {
  id: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  createdAt: string;
  jobId?: string;
  url?: string;
  ratings?: { count: number; average: number | null };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'canceled']);
