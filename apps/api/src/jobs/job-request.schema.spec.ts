import type { SchemaObject } from '@nestjs/swagger';
import { describe, expect, it } from 'vitest';
import { JOB_INPUT_SCHEMAS, JOB_TYPES } from '@atelier/jobs';
import { JOB_REQUEST_SCHEMAS } from './job-request.schema';

interface JoiKey {
  type: string;
  flags?: { default?: unknown; only?: boolean };
  allow?: unknown[];
  rules?: Array<{ name: string; args?: { limit?: number; base?: number } }>;
}

/** Template fields the API resolves into a prompt before Joi sees the input (templated-job-body.ts). */
const TEMPLATE_EXTRAS = ['templateVersion', 'variables'];
const pascal = (type: string) => type.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');

/** The OpenAPI facts one Joi key implies: bounds, enum, multiple, default. */
function expectedFacts(key: JoiKey): Partial<SchemaObject> {
  const rule = (name: string) => key.rules?.find((r) => r.name === name)?.args;
  const isString = key.type === 'string';
  const facts: Partial<SchemaObject> = {};
  const min = rule('min')?.limit;
  const max = rule('max')?.limit;
  if (min !== undefined) facts[isString ? 'minLength' : 'minimum'] = min;
  if (max !== undefined) facts[isString ? 'maxLength' : 'maximum'] = max;
  if (rule('multiple')) facts.multipleOf = rule('multiple')!.base;
  if (key.flags?.only && key.allow) facts.enum = key.allow;
  if (key.flags?.default !== undefined) facts.default = key.flags.default;
  return facts;
}

/** The hand-written job body in the OpenAPI document must say what the Joi schemas enforce. */
describe('JobRequest schema vs the Joi input schemas', () => {
  it.each(JOB_TYPES)('%s: the same fields with the same bounds, enums and defaults', (type) => {
    const joi = JOB_INPUT_SCHEMAS[type].describe() as { keys: Record<string, JoiKey> };
    const openapi = JOB_REQUEST_SCHEMAS[`${pascal(type)}Input`] as SchemaObject;
    const documented = Object.keys(openapi.properties ?? {}).filter((k) => !TEMPLATE_EXTRAS.includes(k));
    expect(documented.sort()).toEqual(Object.keys(joi.keys).sort());
    for (const [name, key] of Object.entries(joi.keys)) {
      expect({ name, ...(openapi.properties![name] as SchemaObject) }).toMatchObject({ name, ...expectedFacts(key) });
    }
  });

  it('lists every job type in the JobRequest oneOf', () => {
    expect((JOB_REQUEST_SCHEMAS.JobRequest.oneOf ?? []).length).toBe(JOB_TYPES.length);
  });
});
