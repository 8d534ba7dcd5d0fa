/** The API shapes the page uses: the typed client's, which come from the OpenAPI document. */
export type {
  Billing,
  DynamicJobRequest as JobRequest,
  ImageDetails as ImageDetail,
  ImageOutput,
  Image,
  JobOutput,
  JobStatus,
  JobTypeInfo,
  Model,
  Session,
  Template,
  User,
} from '../../../client/src';
import type { Job as JobView } from '../../../client/src';

/** A job view; every job view carries the input the API accepted, with its defaults applied. */
export type Job = JobView & { input?: Record<string, unknown> };

export const FINAL_STATUSES: ReadonlySet<Job['status']> = new Set(['succeeded', 'failed', 'canceled']);
