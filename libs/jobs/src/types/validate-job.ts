import { DomainError } from '@atelier/platform';
import { JOB_INPUT_SCHEMAS, JOB_TYPES, type JobType } from './job-types';

export interface ValidJobRequest {
  type: JobType;
  model: string | null;
  input: Record<string, unknown>;
  webhookUrl: string | null;
}

const invalid = (message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid', 'INVALID_JOB', message, details);

/** Checks a submitted job body against its type's schema; returns it with defaults applied. */
export function validateJobRequest(body: unknown): ValidJobRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new DomainError('bad_request', 'BAD_REQUEST', 'The body must be a JSON object');
  }
  const { type, model, input, webhookUrl } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !(JOB_TYPES as readonly string[]).includes(type)) {
    throw invalid(`Unknown job type; use one of ${JOB_TYPES.join(', ')}`, { field: 'type', allowed: JOB_TYPES });
  }
  if (model !== undefined && (typeof model !== 'string' || model.length > 100)) {
    throw invalid('model must be a model id string', { field: 'model' });
  }
  if (webhookUrl !== undefined && (typeof webhookUrl !== 'string' || !/^https?:\/\//.test(webhookUrl) || webhookUrl.length > 2000)) {
    throw invalid('webhookUrl must be an http(s) URL', { field: 'webhookUrl' });
  }
  const result = JOB_INPUT_SCHEMAS[type as JobType].validate(input ?? {}, { abortEarly: false, convert: false });
  if (result.error) {
    throw invalid(`Invalid input for ${type}: ${result.error.details.map((d) => d.message).join('; ')}`, {
      fields: result.error.details.map((d) => ({ path: d.path.join('.'), message: d.message })),
    });
  }
  return {
    type: type as JobType,
    model: (model as string | undefined) ?? null,
    input: result.value as Record<string, unknown>,
    webhookUrl: (webhookUrl as string | undefined) ?? null,
  };
}
