import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

type User = Awaited<ReturnType<typeof registerUser>>;
const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** OWASP API Security Top 10 (2023) checks against the running system. */
describe('OWASP API Top 10 checks', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let alice: User;
  let bob: User;
  let aliceImage: string;
  let aliceJob: string;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ JWT_ACCESS_TTL_SECONDS: '30' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
    alice = await registerUser(http, 'alice');
    bob = await registerUser(http, 'bob');
    aliceImage = (await alice.client.upload('/v1/images', await gradientPng())).body.id;
    aliceJob = (await alice.client.post('/v1/jobs', { type: 'resize', input: { imageId: aliceImage, width: 8 } })).body.id;
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('API1 broken object level authorization: every route naming Alice’s resource answers 404 to Bob', async () => {
    const attempts = [
      bob.client.get(`/v1/jobs/${aliceJob}`),
      bob.client.post(`/v1/jobs/${aliceJob}/cancel`),
      bob.client.get(`/v1/images/${aliceImage}`),
      bob.client.get(`/v1/images/${aliceImage}/content`),
      bob.client.delete(`/v1/images/${aliceImage}`),
      bob.client.post('/v1/jobs', { type: 'resize', input: { imageId: aliceImage, width: 8 } }),
    ];
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 422]); // the last names her image in a body: 422 IMAGE_NOT_FOUND
    expect((await bob.client.get('/v1/jobs')).body.items).toEqual([]);
    expect((await alice.client.get(`/v1/images/${aliceImage}`)).status).toBe(200); // still there
  });

  it('API2 broken authentication: alg none, tampered, foreign-key and expired tokens are refused', async () => {
    const [header, payload] = alice.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, role: 'admin' })}.`;
    const tampered = `${header}.${b64url({ ...claims, role: 'admin' })}.${alice.token.split('.')[2]}`;
    const foreign = (() => {
      const body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
      return `${body}.${createHmac('sha256', 'not the server secret at all, 32+ chars').update(body).digest('base64url')}`;
    })();
    const expired = (() => {
      const body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ ...claims, iat: 1_600_000_000, exp: 1_600_000_900 })}`;
      return `${body}.${createHmac('sha256', environment.jwtSecret).update(body).digest('base64url')}`;
    })();
    for (const token of [none, tampered, foreign, expired, 'garbage', '']) {
      const result = await http.as(token).get('/v1/me');
      expect(result.status, token.slice(0, 30)).toBe(401);
      expect(result.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('API2 a used refresh token revokes its whole family', async () => {
    const login = await http.post('/v1/auth/login', { email: (await alice.client.get('/v1/me')).body.email, password: 'correct horse battery' });
    const first = login.body.refreshToken;
    const second = (await http.post('/v1/auth/refresh', { refreshToken: first })).body.refreshToken;
    expect((await http.post('/v1/auth/refresh', { refreshToken: first })).status).toBe(401);
    expect((await http.post('/v1/auth/refresh', { refreshToken: second })).status).toBe(401);
  });

  it('API3 property level: role, plan or credits in a body are refused; no secrets in responses', async () => {
    const escalate = await http.post('/v1/auth/register', { email: 'mallory@example.test', password: 'long enough password', role: 'admin', plan: 'premium' });
    expect(escalate.status).toBe(400);
    expect(escalate.body.code).toBe('VALIDATION_FAILED');
    const login = await http.post('/v1/auth/login', { email: 'mallory@example.test', password: 'long enough password' });
    expect(login.status).toBe(401); // no account was made
    const session = await http.post('/v1/auth/register', { email: 'mallory@example.test', password: 'long enough password' });
    const texts = [JSON.stringify(session.body), JSON.stringify((await http.as(session.body.accessToken).get('/v1/me')).body)];
    for (const text of texts) expect(text).not.toMatch(/password|hash|\$argon2/i);
    expect(session.body.user.role).toBe('user');
  });

  it('API4 unrestricted resource consumption: size, steps, batch and pixel limits hold', async () => {
    const huge = await alice.client.post('/v1/jobs', { type: 'txt2img', input: { prompt: 'x', width: 4096, height: 4096 } });
    expect(huge.status).toBe(422);
    const steps = await alice.client.post('/v1/jobs', { type: 'txt2img', input: { prompt: 'x', steps: 10_000 } });
    expect(steps.status).toBe(422);
    const batch = await alice.client.post('/v1/jobs', { type: 'txt2img', input: { prompt: 'x', batch: 8 } });
    expect(batch.body.code).toBe('BATCH_OVER_PLAN');
    const body = await fetch(`${http.baseUrl}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: JSON.stringify({ type: 'resize', input: { imageId: aliceImage, pad: 'z'.repeat(3 * 1024 * 1024) } }),
    });
    expect(body.status).toBe(413);
  });

  it('API5 function level authorization: admin routes answer 403 to users', async () => {
    const calls = [
      bob.client.get('/v1/admin/users?email=a@b.c'),
      bob.client.post(`/v1/admin/users/${bob.userId}/credits`, { amount: 1000, reason: 'free money' }),
      bob.client.put(`/v1/admin/users/${bob.userId}/plan`, { plan: 'premium' }),
      bob.client.put('/v1/admin/plans/free', { ratePerMinute: 100000 }),
    ];
    for (const result of await Promise.all(calls)) {
      expect(result.status).toBe(403);
      expect(result.body.code).toBe('ADMIN_ONLY');
    }
    expect((await bob.client.get('/v1/billing')).body.plan).toBe('free');
    expect((await fetch(`${http.baseUrl}/admin/queues?token=${bob.token}`)).status).toBe(403);
    expect((await fetch(`${http.baseUrl}/admin/queues/api/queues`)).status).toBe(401);
  });

  it('API7 SSRF: webhooks to loopback, private and metadata addresses are refused', async () => {
    for (const webhookUrl of ['http://127.0.0.1:22/', 'http://169.254.169.254/latest/meta-data/', 'http://192.168.0.10/', 'http://[::1]/']) {
      const result = await alice.client.post('/v1/jobs', { type: 'resize', input: { imageId: aliceImage, width: 8 }, webhookUrl });
      expect(result.status).toBe(422);
    }
  });

  it('API8 security misconfiguration: no stack traces, no framework banner', async () => {
    const result = await fetch(`${http.baseUrl}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` }, body: '{"type":' });
    const text = await result.text();
    expect(result.status).toBe(400);
    expect(text).not.toMatch(/at .*\.js:\d+|node_modules|SyntaxError/);
    expect(result.headers.get('x-powered-by')).toBeNull();
  });
});
