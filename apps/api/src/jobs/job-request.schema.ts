import type { SchemaObject } from '@nestjs/swagger';
import { inputJsonSchema, JOB_TYPE_DEFINITIONS, type AnyJobTypeDefinition } from '@atelier/jobs';

/**
 * The job body in the OpenAPI document, derived from the job type definitions (libs/jobs): the
 * `XxxInput` schemas are the very schemas the server validates with, as JSON Schema.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const pascal = (type: string) => type.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
const jobName = (type: string) => `${pascal(type)}Job`;
const inputName = (type: string) => `${pascal(type)}Input`;

const job = (definition: AnyJobTypeDefinition): SchemaObject => ({
  type: 'object',
  description: definition.description,
  required: ['type', 'input'],
  properties: {
    type: { type: 'string', enum: [definition.type] },
    ...(definition.usesModel
      ? { model: { type: 'string', maxLength: 100, description: 'A model id of GET /v1/models that does this type (default per type)' } }
      : {}),
    input: ref(inputName(definition.type)),
    webhookUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'POSTed job.succeeded / job.failed / job.canceled' },
    cache: { type: 'boolean', default: true, description: 'false: compute it even when an identical deterministic job of yours already succeeded' },
  },
});

/** Components for openapi.ts to register: JobRequest (oneOf by `type`), one XxxJob and XxxInput per type. */
export const JOB_REQUEST_SCHEMAS: Record<string, SchemaObject> = {
  JobRequest: {
    oneOf: JOB_TYPE_DEFINITIONS.map((d) => ref(jobName(d.type))),
    discriminator: { propertyName: 'type', mapping: Object.fromEntries(JOB_TYPE_DEFINITIONS.map((d) => [d.type, `#/components/schemas/${jobName(d.type)}`])) },
  },
  ...Object.fromEntries(
    JOB_TYPE_DEFINITIONS.flatMap((definition) => [
      [jobName(definition.type), job(definition)],
      [inputName(definition.type), inputJsonSchema(definition) as SchemaObject],
    ]),
  ),
};

export const JOB_REQUEST_REF = ref('JobRequest');
