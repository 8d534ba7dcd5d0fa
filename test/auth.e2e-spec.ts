import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

describe('auth: API keys, scopes, throttled sign-in, headers', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ LOGIN_MAX_FAILURES_PER_EMAIL: '3', CORS_ORIGINS: 'https://app.example.test' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('has sign-in with an identity provider off when it is not configured', async () => {
    expect(await http.get('/v1/auth/oidc')).toMatchObject({ status: 200, body: { enabled: false } });
    expect(await http.get('/v1/auth/oidc/start')).toMatchObject({ status: 404, body: { code: 'OIDC_NOT_CONFIGURED' } });
    expect(await http.get('/v1/auth/oidc/callback?code=x&state=y')).toMatchObject({ status: 404, body: { code: 'OIDC_NOT_CONFIGURED' } });
  });

  it('creates a key shown once, stores only its hash, lists it without the secret, and revokes it', async () => {
    const user = await registerUser(http, 'keys');
    const created = await user.client.post('/v1/api-keys', { name: 'ci', scopes: ['jobs:read'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci', scopes: ['jobs:read'] });
    expect(created.body.key).toMatch(/^atl_[A-Za-z0-9_-]{32}$/);
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    const [row] = await environment.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
    expect(row.key_hash).not.toContain(created.body.key);
    const listed = await user.client.get('/v1/api-keys');
    expect(listed.body).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    const keyClient = http.as(created.body.key);
    expect((await keyClient.get('/v1/jobs')).status).toBe(200);
    expect((await user.client.delete(`/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await keyClient.get('/v1/jobs')).status).toBe(401);
  });

  it('enforces scopes: a read-only key cannot submit (403) but can read', async () => {
    const user = await registerUser(http, 'scoped');
    const image = (await user.client.upload('/v1/images', await gradientPng())).body.id;
    const readOnly = http.as((await user.client.post('/v1/api-keys', { name: 'ro', scopes: ['jobs:read', 'images:read'] })).body.key);
    const submit = await readOnly.post('/v1/jobs', { type: 'resize', input: { imageId: image, width: 8 } });
    expect(submit.status).toBe(403);
    expect(submit.body).toMatchObject({ code: 'MISSING_SCOPE', details: { scope: 'jobs:write' } });
    expect((await readOnly.get(`/v1/images/${image}`)).status).toBe(200);
    // A key cannot manage keys (a leaked key cannot mint more).
    expect((await readOnly.post('/v1/api-keys', { name: 'more' })).status).toBe(403);
    expect((await user.client.post('/v1/api-keys', { name: 'bad', scopes: ['root'] })).status).toBe(400);
  });

  it('authenticates the Socket.IO handshake with an API key and delivers its user’s events', async () => {
    const user = await registerUser(http, 'socket-key');
    const key = (await user.client.post('/v1/api-keys', { name: 'events' })).body.key;
    const socket = await SocketRecorder.connect(http.baseUrl, key);
    const image = (await user.client.upload('/v1/images', await gradientPng())).body.id;
    const job = (await http.as(key).post('/v1/jobs', { type: 'resize', input: { imageId: image, width: 8 } })).body;
    await socket.waitFor(job.id, 'job.succeeded');
    socket.close();
    await expect(SocketRecorder.connect(http.baseUrl, 'atl_not-a-real-key')).rejects.toThrow(/UNAUTHENTICATED/);
  });

  it('slows password guessing per email with 429 and Retry-After, and keeps the right password working after', async () => {
    const user = await registerUser(http, 'guessed');
    const email = (await user.client.get('/v1/me')).body.email;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await http.post('/v1/auth/login', { email, password: `wrong guess ${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await http.post('/v1/auth/login', { email, password: 'correct horse battery' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The window would end by itself; clear it so the test need not wait 15 minutes.
    const redis = environment.redis();
    const keys = await redis.keys(`${environment.redisPrefix}login-failures:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    expect((await http.post('/v1/auth/login', { email, password: 'correct horse battery' })).status).toBe(200);
  });

  it('sends security headers and CORS only for configured origins', async () => {
    const response = await fetch(`${http.baseUrl}/v1/plans`, { headers: { origin: 'https://app.example.test' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    const foreign = await fetch(`${http.baseUrl}/v1/plans`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
