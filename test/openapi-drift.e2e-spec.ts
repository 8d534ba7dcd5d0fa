import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startApi } from './support/app-process';
import { TestEnvironment } from './support/test-environment';

/** The routes of the public API contract, in OpenAPI path syntax. */
const CONTRACT_ROUTES = [
  'POST /v1/auth/register', 'POST /v1/auth/login', 'POST /v1/auth/refresh', 'POST /v1/auth/logout', 'GET /v1/me',
  'POST /v1/api-keys', 'GET /v1/api-keys', 'DELETE /v1/api-keys/{id}',
  'GET /v1/plans', 'GET /v1/billing', 'GET /v1/billing/ledger',
  'POST /v1/admin/users/{id}/credits', 'PUT /v1/admin/users/{id}/plan', 'PUT /v1/admin/plans/{id}', 'GET /v1/admin/users',
  'POST /v1/templates', 'PUT /v1/templates/{id}', 'GET /v1/templates', 'GET /v1/templates/{id}', 'GET /v1/templates/{id}/versions',
  'GET /v1/templates/{id}/versions/{version}', 'DELETE /v1/templates/{id}', 'GET /v1/templates/{id}/stats', 'POST /v1/prompts/render',
  'PUT /v1/templates/{id}/split', 'GET /v1/ratings', 'GET /v1/admin/templates/{id}/versions/{version}/feedback',
  'POST /v1/jobs', 'POST /v1/jobs/quote', 'GET /v1/job-types', 'GET /v1/jobs', 'GET /v1/jobs/{id}', 'POST /v1/jobs/{id}/cancel', 'GET /v1/webhooks/secret',
  'POST /v1/images', 'GET /v1/images', 'GET /v1/images/{id}', 'GET /v1/images/{id}/content', 'DELETE /v1/images/{id}', 'POST /v1/images/{id}/ratings',
  'GET /v1/models', 'POST /openai/v1/images/generations', 'POST /openai/v1/images/edits', 'GET /openai/v1/models', 'GET /health/live', 'GET /health/ready', 'GET /health/workers', 'GET /metrics', 'GET /docs', 'GET /docs-json',
];

type Content = Record<string, { schema?: { $ref?: string } }>;
interface OpenApiSpec {
  paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content?: Content }; responses: Record<string, { content?: Content }> }>>;
  components: { schemas: Record<string, { required?: string[] }> };
}

/**
 * The OpenAPI document the running API serves is the one committed in docs/openapi.json, so a
 * change to the API surface shows up in review; and it is complete for the contract.
 * `npm run openapi:update` (UPDATE_OPENAPI=1) rewrites the committed file.
 */
describe('the OpenAPI document', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let served: unknown;

  beforeAll(async () => {
    await environment.create();
    // The document needs no worker.
    const started = await startApi(environment.env({ LOG_LEVEL: 'warn' }));
    api = started.api;
    const baseUrl = started.baseUrl;
    served = await (await fetch(`${baseUrl}/docs-json`)).json();
  });

  afterAll(async () => {
    await api?.stop();
    await environment.destroy();
  });

  it('is the one committed in docs/openapi.json (UPDATE_OPENAPI=1 rewrites it)', () => {
    const committedPath = join(process.cwd(), 'docs', 'openapi.json');
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(committedPath, `${JSON.stringify(served, null, 2)}\n`);
    expect(existsSync(committedPath), 'docs/openapi.json is missing: run `npm run openapi:update`').toBe(true);
    const committed = JSON.parse(readFileSync(committedPath, 'utf8'));
    expect(served, 'the API drifted from docs/openapi.json: review the diff, then run `npm run openapi:update`').toEqual(committed);
  });

  it('has every contract route, typed bodies and answers, and the error shape', () => {
    const spec = served as OpenApiSpec;
    const missing = CONTRACT_ROUTES.filter((route) => {
      const [method, path] = route.split(' ');
      return !spec.paths[path]?.[method.toLowerCase()];
    });
    expect(missing, 'contract routes missing from the OpenAPI document').toEqual([]);
    const submit = spec.paths['/v1/jobs'].post;
    expect(submit.responses['201'], 'POST /v1/jobs answers 202, not 201').toBeUndefined();
    expect(submit.responses['202']?.content?.['application/json']?.schema, 'POST /v1/jobs documents 202 with a schema').toBeDefined();
    expect(submit.requestBody?.content?.['application/json']?.schema).toBeDefined();
    expect(spec.components.schemas.ErrorResponse?.required).toEqual(expect.arrayContaining(['statusCode', 'error', 'code', 'message']));
    const errorRefs = Object.values(spec.paths)
      .flatMap((operations) => Object.values(operations))
      .flatMap((operation) => Object.entries(operation.responses))
      .filter(([status, response]) => status.startsWith('4') && response.content?.['application/json']?.schema?.$ref === '#/components/schemas/ErrorResponse');
    expect(errorRefs.length, 'ErrorResponse referenced from 4xx answers').toBeGreaterThan(0);
    for (const route of ['POST /v1/auth/register', 'POST /v1/auth/login', 'GET /v1/plans', 'GET /health/ready', 'GET /metrics', 'GET /docs']) {
      const [method, path] = route.split(' ');
      expect(spec.paths[path][method.toLowerCase()].security, `${route} is public`).toEqual([]);
    }
    expect(spec.paths['/v1/me'].get.responses['401'], 'protected routes document 401').toBeDefined();
  });
});
