/**
 * The public shapes of the Atelier API for client code: names for the schemas of the OpenAPI
 * document (docs/openapi.json), whose types `npm run api:types` generates into ./generated.
 */
import type { components } from './generated/openapi';

export type { components, paths } from './generated/openapi';

/** Every schema of the OpenAPI document, by its name there. */
export type Schemas = components['schemas'];

export type Job = Schemas['JobView'];
export type JobStatus = Job['status'];
export type JobType = Job['type'];
export type JobOutput = Job['outputs'][number];
export type ImageOutput = Schemas['ImageOutputView'];
export type JsonOutput = Schemas['JsonOutputView'];
export type JobPage = Schemas['JobPage'];
export type JobQuote = Schemas['JobQuoteView'];
export type Image = Schemas['ImageView'];
export type ImageDetails = Schemas['ImageDetailsView'];
export type LibraryImage = Schemas['ImageListItemView'];
export type ImagePage = Schemas['ImagePage'];
export type Rating = Schemas['RatingView'];
export type User = Schemas['UserView'];
export type Session = Schemas['SessionView'];
export type Billing = Schemas['BillingView'];
export type Model = Schemas['ModelView'];
export type Template = Schemas['TemplateView'];
export type TemplatePage = Schemas['TemplatePage'];
export type ErrorBody = Schemas['ErrorResponse'];

/** A job body exactly as the API documents it: one variant per job type, with its input's types. */
export type JobRequest = Schemas['JobRequest'];

/**
 * A job body put together at run time (e.g. a form built from the API's job types), which the
 * compiler cannot check against one variant; the API validates it and answers 422 when it is wrong.
 */
export interface DynamicJobRequest {
  type: string;
  model?: string;
  input: Record<string, unknown>;
  webhookUrl?: string;
}

/** A property of a job type's input, as far as its JSON Schema says (the parts a form uses). */
export interface InputPropertySchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  enum?: Array<string | number>;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  default?: unknown;
  description?: string;
  /** A JSON document a person pastes or writes (a workflow graph), not a value a form control edits. */
  'x-json-editor'?: boolean;
}

/** The JSON Schema of a job type's input: an object with these properties. */
export interface InputSchema {
  type: 'object';
  properties: Record<string, InputPropertySchema>;
  required?: string[];
  additionalProperties?: boolean;
}

/**
 * One entry of `GET /v1/job-types`: what a job type takes, gives and costs, so that a form can
 * be built from it. The document types its inputSchema as any object; it is a JSON Schema.
 */
export type JobTypeInfo = Omit<Schemas['JobTypeView'], 'inputSchema'> & { inputSchema: InputSchema };

/** The `job.progress` Socket.IO event (events are not part of the OpenAPI document). */
export type ProgressEvent = Schemas['JobProgressView'] & { jobId: string; previewUrl?: string };

/** Every non-2xx answer, with the API's error code, its details and `Retry-After` (429, 503). */
export class AtelierError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AtelierError';
  }

  /** From a non-2xx response and its parsed body (the API's `ErrorResponse`, or whatever a proxy sent). */
  static fromResponse(response: Response, body: unknown): AtelierError {
    const error = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorBody>;
    const retryAfter = Number(response.headers.get('retry-after'));
    return new AtelierError(
      response.status,
      error.code ?? `HTTP_${response.status}`,
      error.message ?? (response.statusText || 'The server did not answer as expected'),
      error.details,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
}
