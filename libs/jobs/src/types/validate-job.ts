import { z } from 'zod';
import { jobErrors } from '../job-errors';
import { fieldIssues } from './input-issues';
import { JOB_TYPES, isJobType, jobTypeDefinition, type JobType } from './job-types';

/** A job body that passed its type's schema: `input` has the defaults applied. */
export interface ValidJobRequest {
  type: JobType;
  model: string | null;
  input: Record<string, unknown>;
  webhookUrl: string | null;
  /** False when the client opted out of the result cache (`cache: false`). */
  cache: boolean;
}

const envelope = z.looseObject({
  type: z.string(),
  model: z.string().min(1).max(100).optional(),
  input: z.unknown().optional(),
  webhookUrl: z
    .string()
    .max(2000)
    .regex(/^https?:\/\//, 'must be an http(s) URL')
    .optional(),
  cache: z.boolean().optional(),
});

/** Checks a submitted job body against its type's schema; returns it with defaults applied. */
export function validateJobRequest(body: unknown): ValidJobRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw jobErrors('BAD_REQUEST', 'The body must be a JSON object');
  const { type } = body as { type?: unknown };
  if (!isJobType(type)) {
    throw jobErrors('INVALID_JOB', `Unknown job type; use one of ${JOB_TYPES.join(', ')}`, { field: 'type', allowed: JOB_TYPES });
  }
  const outer = envelope.safeParse(body, { reportInput: true });
  if (!outer.success) {
    const fields = fieldIssues(outer.error);
    throw jobErrors('INVALID_JOB', fields.map((f) => f.message).join('; '), { field: fields[0]?.path, fields });
  }
  const definition = jobTypeDefinition(type);
  const input = definition.input.safeParse(outer.data.input ?? {}, { reportInput: true });
  if (!input.success) {
    const fields = fieldIssues(input.error);
    throw jobErrors('INVALID_JOB', `Invalid input for ${type}: ${fields.map((f) => f.message).join('; ')}`, { fields });
  }
  return {
    type,
    model: outer.data.model ?? null,
    input: input.data as Record<string, unknown>,
    webhookUrl: outer.data.webhookUrl ?? null,
    cache: outer.data.cache ?? true,
  };
}
