import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HOSTILE_PATH_SEGMENTS, HOSTILE_QUERY_VALUES, MALFORMED_BODIES, mutateBody } from './support/fuzz-cases';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string; // `:id` is replaced by hostile segments
  body?: Record<string, unknown>;
  query?: string[];
}

/** Valid sample bodies and query names per route, mutated by the fuzzer; routes not listed get `{}` and no query. */
function samples(imageId: string): Record<string, { body?: Record<string, unknown>; query?: string[] }> {
  const job = { type: 'resize', input: { imageId, width: 16, height: 16, fit: 'cover' } };
  const credentials = { email: 'fuzz@example.test', password: 'long enough password' };
  return {
    'POST /v1/auth/register': { body: credentials },
    'POST /v1/auth/login': { body: credentials },
    'POST /v1/auth/refresh': { body: { refreshToken: 'rt_x' } },
    'POST /v1/auth/logout': { body: { refreshToken: 'rt_x' } },
    'GET /v1/billing/ledger': { query: ['cursor', 'limit'] },
    'POST /v1/jobs': { body: job },
    'POST /v1/jobs/quote': { body: job },
    'GET /v1/jobs': { query: ['status', 'type', 'cursor', 'limit'] },
    'GET /v1/images/:id/content': { query: ['format', 'width'] },
    'GET /v1/admin/users': { query: ['email'] },
    'POST /v1/admin/users/:id/credits': { body: { amount: 5, reason: 'fuzz' } },
    'PUT /v1/admin/users/:id/plan': { body: { plan: 'premium' } },
    'PUT /v1/admin/plans/:id': { body: { ratePerMinute: 5 } },
    'POST /v1/api-keys': { body: { name: 'fuzz', scopes: ['jobs:read'] } },
    'POST /v1/templates': { body: { name: 'fuzz', body: 'a {subject}', visibility: 'private' } },
    'PUT /v1/templates/:id': { body: { name: 'fuzz', body: 'b {subject}', visibility: 'private' } },
    'GET /v1/templates': { query: ['q', 'tag', 'cursor'] },
    'POST /v1/prompts/render': { body: { templateId: imageId, subject: 'a cat' } },
    'POST /v1/images/:id/ratings': { body: { score: 4, feedback: 'nice' } },
    'POST /v1/admin/models/:id/preload': { body: { workerId: '00000000-0000-4000-8000-000000000000' } },
    'POST /v1/admin/models/:id/unload': { body: { workerId: '00000000-0000-4000-8000-000000000000' } },
  };
}

/** Every route of the running API's OpenAPI document, with its sample body (POST/PUT) if any. */
async function routesFromOpenApi(baseUrl: string, imageId: string): Promise<Route[]> {
  const spec = (await (await fetch(`${baseUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const known = samples(imageId);
  const routes: Route[] = [];
  for (const [openApiPath, operations] of Object.entries(spec.paths)) {
    const path = openApiPath.replace(/\{[^}]+\}/g, ':id');
    for (const method of Object.keys(operations)) {
      const upper = method.toUpperCase() as Route['method'];
      const sample = known[`${upper} ${path}`] ?? {};
      routes.push({ method: upper, path, body: sample.body ?? (upper === 'POST' || upper === 'PUT' ? {} : undefined), query: sample.query });
    }
  }
  return routes;
}

describe('fuzzing every route of the OpenAPI document with malformed and boundary requests', () => {
  const environment = new TestEnvironment();
  const ADMIN = { email: 'fuzz-admin@example.test', password: 'fuzz admin password' };
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    // The fuzzer sends thousands of requests a minute: lift the per-user limit so it tests validation, not the limiter.
    const system = await startSystem(environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn', API_REQUESTS_PER_MINUTE: '1000000' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('answers every request below 500, in the contract error shape, without stack traces', async () => {
    const user = await registerUser(http, 'fuzzer');
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    // Lift the submit rate so the fuzzer tests validation, not the limiter.
    await admin.put('/v1/admin/plans/free', { ratePerMinute: 100_000, maxConcurrentJobs: 100_000 });
    const imageId = (await user.client.upload('/v1/images', await gradientPng())).body.id;
    const routes = await routesFromOpenApi(http.baseUrl, imageId);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const failures: string[] = [];
    let sent = 0;

    const send = async (client: HttpClient, method: string, path: string, init: { body?: string; contentType?: string } = {}) => {
      sent++;
      const response = await fetch(client.baseUrl + path, {
        method,
        headers: { ...(init.contentType ? { 'content-type': init.contentType } : {}), authorization: `Bearer ${client.token}` },
        body: init.body,
      });
      const text = await response.text();
      const label = `${method} ${path.slice(0, 80)} ${init.body?.slice(0, 60) ?? ''} → ${response.status}`;
      if (response.status >= 500) failures.push(`${label}: ${text.slice(0, 200)}`);
      if (response.status >= 400) {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text);
        } catch {
          failures.push(`${label}: not JSON: ${text.slice(0, 100)}`);
          return;
        }
        // The OpenAI-compatible surface answers in OpenAI's shape, the rest in the API's.
        const openai = body.error as Record<string, unknown> | undefined;
        const shapeOk = path.startsWith('/openai/')
          ? typeof openai?.message === 'string' && typeof openai.type === 'string' && typeof openai.code === 'string' && 'param' in openai
          : body.statusCode === response.status && typeof body.error === 'string' && typeof body.code === 'string' && typeof body.message === 'string';
        if (!shapeOk) failures.push(`${label}: wrong error shape ${text.slice(0, 200)}`);
        if (/\n\s+at |node_modules|QueryFailedError|SELECT .* FROM/.test(text)) failures.push(`${label}: leaks internals`);
      }
    };

    for (const client of [user.client, admin]) {
      for (const route of routes) {
        const paths = route.path.includes(':id') ? HOSTILE_PATH_SEGMENTS.map((s) => route.path.replace(':id', s)) : [route.path];
        for (const path of paths) {
          if (route.body) {
            for (const variant of mutateBody(route.body)) await send(client, route.method, path, { body: JSON.stringify(variant), contentType: 'application/json' });
            for (const malformed of MALFORMED_BODIES) await send(client, route.method, path, malformed);
          } else {
            await send(client, route.method, path);
          }
          for (const name of route.query ?? []) {
            for (const value of HOSTILE_QUERY_VALUES) await send(client, route.method, `${path}?${name}=${encodeURIComponent(value)}`);
          }
        }
      }
    }
    expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(500);
    console.log(`fuzz: ${routes.length} routes from /docs-json, ${sent} requests, ${failures.length} failures`);
    // Thousands of requests, one after another: minutes on a busy 2-core machine, so its own limit.
  }, 600_000);
});
