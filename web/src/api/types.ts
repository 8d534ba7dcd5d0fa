/** The API shapes the page uses: the typed client's, which come from the OpenAPI document. */
export type {
  Billing,
  DynamicJobRequest as JobRequest,
  ImageDetails as ImageDetail,
  ImageOutput,
  Image,
  ImagePage,
  LibraryImage,
  Job,
  JobOutput,
  JobStatus,
  JobTypeInfo,
  Model,
  Session,
  Template,
  User,
} from '../../../client/src';
import type { Job } from '../../../client/src';

export const FINAL_STATUSES: ReadonlySet<Job['status']> = new Set(['succeeded', 'failed', 'canceled']);
