import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, startApi } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { TestEnvironment } from './support/test-environment';

const LIMIT = 20;

/**
 * The API alone first (no worker: it must still be ready), with a small per-user request limit;
 * then a worker joins and /health/workers lists it.
 */
describe('health probes without workers, and the per-user request limit', () => {
  const environment = new TestEnvironment();
  const env = environment.env({ API_REQUESTS_PER_MINUTE: String(LIMIT), LOG_LEVEL: 'warn' });
  let api: AppProcess;
  let worker: AppProcess | undefined;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const started = await startApi(env);
    api = started.api;
    http = new HttpClient(started.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('is ready with no worker running, reporting the workers without failing on them', async () => {
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'degraded',
      details: { postgres: { status: 'up' }, redis: { status: 'up' }, workers: { status: 'degraded', live: 0, available: false } },
    });
    expect(await http.get('/health/workers')).toMatchObject({ status: 200, body: { workers: [], available: false } });
  });

  it('answers 429 with Retry-After past the limit, per user: another user is unaffected', async () => {
    const alice = await registerUser(http, 'burst');
    const bob = await registerUser(http, 'calm');
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<HttpClient['get']>> | undefined;
    for (let i = 0; i < LIMIT + 5; i++) {
      const result = await alice.client.get('/v1/me');
      statuses.push(result.status);
      limited ??= result.status === 429 ? result : undefined;
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual(Array(5).fill(429));
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      message: expect.stringContaining(`${LIMIT} a minute`),
      details: { limit: LIMIT, retryAfterSeconds: Number(limited!.headers.get('retry-after')) },
    });
    expect((await bob.client.get('/v1/me')).status).toBe(200);
    expect((await bob.client.get('/v1/me')).headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
  });

  it("gives a user their plan's budget when the plan has one", async () => {
    const PREMIUM_LIMIT = LIMIT + 10;
    const carol = await registerUser(http, 'premium');
    await environment.query(`UPDATE plans SET requests_per_minute = $1 WHERE id = 'premium'`, [PREMIUM_LIMIT]);
    await environment.query(`UPDATE users SET plan = 'premium' WHERE id = $1`, [carol.userId]);
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<HttpClient['get']>> | undefined;
    for (let i = 0; i < PREMIUM_LIMIT + 2; i++) {
      const result = await carol.client.get('/v1/me');
      statuses.push(result.status);
      limited ??= result.status === 429 ? result : undefined;
    }
    expect(statuses.slice(0, PREMIUM_LIMIT)).toEqual(Array(PREMIUM_LIMIT).fill(200));
    expect(statuses.slice(PREMIUM_LIMIT)).toEqual([429, 429]);
    expect(limited!.body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: PREMIUM_LIMIT } });
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits anonymous callers by address, but never the probes', async () => {
    const anonymous: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) anonymous.push((await http.get('/v1/plans')).status);
    expect(anonymous).toContain(429);
    for (let i = 0; i < LIMIT + 2; i++) {
      expect((await http.get('/health/live')).status).toBe(200);
    }
    expect((await http.get('/health/ready')).status).toBe(200);
  });

  it('lists a running worker with its lanes and models, and is then fully ready', async () => {
    worker = AppProcess.start('worker', env);
    await worker.waitUntil(() => worker!.logs.includes('Atelier worker ready'));
    let listed = await http.get('/health/workers');
    await api.waitUntil(async () => (listed = await http.get('/health/workers')).body.workers.length === 1, 20_000);
    expect(listed.body.available).toBe(true);
    const [one] = listed.body.workers;
    expect(one).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), lanes: ['cpu', 'gpu'], draining: false });
    expect(Date.parse(one.lastSeen)).toBeGreaterThan(Date.now() - 20_000);
    expect(one.models).toEqual(expect.arrayContaining([{ id: 'blazeface-front', state: 'cold', provider: null, healthy: true }]));
    const ready = await http.get('/health/ready');
    expect(ready.body).toMatchObject({ status: 'ok', details: { workers: { status: 'up', live: 1, available: true } } });
  });
});
