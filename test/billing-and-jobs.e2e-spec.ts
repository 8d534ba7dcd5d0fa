import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, freePort, startSystem } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

const ADMIN = { email: 'admin@example.test', password: 'admin password 123' };
type User = Awaited<ReturnType<typeof registerUser>>;

/** Credits, limits and job control through the real API and worker processes. */
describe('billing and job control', () => {
  const environment = new TestEnvironment();
  const env = environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, QUEUE_LOCK_DURATION_MS: '2000' });
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let admin: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(env);
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
    const login = await http.post('/v1/auth/login', ADMIN);
    admin = http.as(login.body.accessToken);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const upload = async (user: User, width = 64, height = 48) => (await user.client.upload('/v1/images', await gradientPng(width, height))).body.id as string;
  /** A blur big enough to keep the worker busy for a second or two. */
  const slowJob = (imageId: string) => ({ type: 'filter', input: { imageId, filter: 'blur', amount: 100 } });
  const ledgerKinds = async (user: User, jobId: string) =>
    (await user.client.get('/v1/billing/ledger')).body.items.filter((e: { jobId?: string }) => e.jobId === jobId).map((e: { kind: string }) => e.kind).sort();
  it('lists the plans publicly, with the contract limits', async () => {
    const plans = await http.get('/v1/plans');
    expect(plans.status).toBe(200);
    const byId = Object.fromEntries(plans.body.map((p: { id: string }) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual(['free', 'premium', 'standard']);
    expect(byId.free.ratePerMinute).toBe(10);
    expect(byId.premium.ratePerMinute).toBe(100);
    expect(byId.premium.priority).toBeGreaterThan(byId.free.priority);
  });

  it('grants the monthly credits, quotes, reserves and captures a job once', async () => {
    const user = await registerUser(http, 'payer');
    const billing = await user.client.get('/v1/billing');
    expect(billing.body).toMatchObject({ plan: 'free', balance: 200, reserved: 0, limits: { id: 'free' } });
    expect((await user.client.post('/v1/jobs/quote', { type: 'txt2img', input: { prompt: 'a fox' } })).body).toEqual({ cost: 10 });

    const imageId = await upload(user);
    const job = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 10 } });
    expect(job.status).toBe(202);
    expect(job.body.cost).toBe(1);
    await waitForJobStatus(user.client, job.body.id, ['succeeded']);
    expect(await ledgerKinds(user, job.body.id)).toEqual(['capture', 'reserve']);
    expect((await user.client.get('/v1/billing')).body).toMatchObject({ balance: 199, reserved: 0 });
  });

  it('answers 402 when the credits are short, and keeps nothing', async () => {
    const user = await registerUser(http, 'poor');
    const expensive = { type: 'txt2img', input: { prompt: 'a castle', width: 1024, height: 1024, steps: 150, batch: 2 } };
    const result = await user.client.post('/v1/jobs', expensive);
    expect(result.status).toBe(402);
    expect(result.body).toMatchObject({ code: 'INSUFFICIENT_CREDITS', details: { cost: 600, available: 200 } });
    expect((await user.client.get('/v1/jobs')).body.items).toEqual([]);
  });

  it('accepts exactly 5 of 20 concurrent submits against credits for 5, and never goes below zero', async () => {
    await admin.put('/v1/admin/plans/standard', { monthlyCredits: 5, maxConcurrentJobs: 100 });
    const user = await registerUser(http, 'racer');
    await admin.put(`/v1/admin/users/${user.userId}/plan`, { plan: 'standard' });
    expect((await user.client.get('/v1/billing')).body).toMatchObject({ plan: 'standard', balance: 5 });
    const imageId = await upload(user);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 4 + i } })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.filter((s) => s === 402)).toHaveLength(15);
    const { balance, reserved } = (await user.client.get('/v1/billing')).body;
    expect(balance - reserved).toBeGreaterThanOrEqual(0);
    await admin.put('/v1/admin/plans/standard', { monthlyCredits: 2000, maxConcurrentJobs: 4 });
  });

  it('replays an Idempotency-Key: same body → same job (200), other body → 409', async () => {
    const user = await registerUser(http, 'idem');
    const imageId = await upload(user);
    const body = { type: 'resize', input: { imageId, width: 8 } };
    const first = await user.client.post('/v1/jobs', body, { 'idempotency-key': 'order-42' });
    const again = await user.client.post('/v1/jobs', body, { 'idempotency-key': 'order-42' });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await user.client.post('/v1/jobs', { ...body, input: { imageId, width: 9 } }, { 'idempotency-key': 'order-42' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await user.client.get('/v1/jobs')).body.items).toHaveLength(1);
  });

  it("limits submissions to the plan's rate with 429 and Retry-After", async () => {
    const user = await registerUser(http, 'rapid');
    expect((await admin.put(`/v1/admin/users/${user.userId}/plan`, { plan: 'standard' })).status).toBe(200);
    expect((await admin.put('/v1/admin/plans/standard', { ratePerMinute: 2 })).body.ratePerMinute).toBe(2);
    const imageId = await upload(user);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const result = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 5 + i } });
      statuses.push(result.status);
      if (result.status === 429) retryAfter = result.headers.get('retry-after');
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await admin.put('/v1/admin/plans/standard', { ratePerMinute: 40 });
  });

  it("caps concurrent jobs at the plan's limit", async () => {
    const user = await registerUser(http, 'busy'); // free: 2 at a time
    const imageId = await upload(user, 4000, 4000);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await user.client.post('/v1/jobs', slowJob(imageId)));
    expect(results.map((r) => r.status)).toEqual([202, 202, 429]);
    expect(results[2].body.code).toBe('CONCURRENCY_LIMIT');
    for (const r of results.slice(0, 2)) await waitForJobStatus(user.client, r.body.id, ['succeeded', 'failed']);
  });

  it('cancels a running job: it stops, releases its credits once, and cannot be canceled again', async () => {
    const user = await registerUser(http, 'canceler');
    const socket = await SocketRecorder.connect(http.baseUrl, user.token);
    const imageId = await upload(user, 4000, 4000);
    const job = (await user.client.post('/v1/jobs', slowJob(imageId))).body;
    await socket.waitFor(job.id, 'job.started');
    expect((await user.client.post(`/v1/jobs/${job.id}/cancel`)).status).toBe(202);
    await socket.waitFor(job.id, 'job.canceled');
    expect((await user.client.post(`/v1/jobs/${job.id}/cancel`)).status).toBe(409);
    // The worker sees the cancel at its next step and lets go of the job; only then is "nothing more happened" a fact.
    await waitFor(() => environment.queueJobFinished(job.id), { what: `the worker to let go of canceled job ${job.id}` });
    const after = (await user.client.get(`/v1/jobs/${job.id}`)).body;
    expect(after.status).toBe('canceled');
    expect(after.outputs).toEqual([]);
    expect(await ledgerKinds(user, job.id)).toEqual(['release', 'reserve']);
    expect(socket.eventsOf(job.id).map((e) => e.event)).not.toContain('job.succeeded');
    socket.close();
  });

  it('finishes the running job when the worker gets SIGTERM, then exits', async () => {
    const user = await registerUser(http, 'graceful');
    const socket = await SocketRecorder.connect(http.baseUrl, user.token);
    const imageId = await upload(user, 4000, 4000);
    const job = (await user.client.post('/v1/jobs', slowJob(imageId))).body;
    await socket.waitFor(job.id, 'job.started');
    // However long the job takes on a busy machine, the worker must finish it and exit by itself.
    await worker.stop('SIGTERM', 90_000);
    expect(worker.child.signalCode ?? worker.child.exitCode).not.toBe('SIGKILL');
    const after = (await user.client.get(`/v1/jobs/${job.id}`)).body;
    expect(after).toMatchObject({ status: 'succeeded', attempts: 1 });
    worker = AppProcess.start('worker', env);
    await worker.waitUntil(() => worker.logs.includes('Atelier worker ready'));
    socket.close();
  });

  it('re-runs a job whose worker was SIGKILLed mid-job and charges it once', async () => {
    const user = await registerUser(http, 'survivor');
    const socket = await SocketRecorder.connect(http.baseUrl, user.token);
    const imageId = await upload(user, 4000, 4000);
    const job = (await user.client.post('/v1/jobs', slowJob(imageId))).body;
    await socket.waitFor(job.id, 'job.started');
    await worker.stop('SIGKILL');
    worker = AppProcess.start('worker', env);
    const done = await waitForJobStatus(user.client, job.id, ['succeeded', 'failed'], 90_000);
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(2);
    expect(await ledgerKinds(user, job.id)).toEqual(['capture', 'reserve']);
    socket.close();
  });

  it('answers 503 and keeps nothing when Redis is down at submit', async () => {
    const port = await freePort();
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const lonelyApi = AppProcess.start('api', { ...env, PORT: String(port), REDIS_URL: deadRedis });
    try {
      await lonelyApi.waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health/live`)).ok);
      const client = new HttpClient(`http://127.0.0.1:${port}`);
      const user = await registerUser(client, 'offline');
      const imageId = await upload(user);
      const result = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 10 } });
      expect(result.status).toBe(503);
      expect(result.body.statusCode).toBe(503);
      const rows = await environment.query('SELECT id FROM jobs WHERE owner_id = $1', [user.userId]);
      expect(rows).toEqual([]);
      const reserved = await environment.query(`SELECT id FROM ledger_entries WHERE user_id = $1 AND kind = 'reserve'`, [user.userId]);
      expect(reserved).toEqual([]);
      const ready = await client.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ statusCode: 503, code: 'NOT_READY', details: { failed: ['redis'], checks: { postgres: { status: 'up' }, redis: { status: 'down' } } } });
    } finally {
      await lonelyApi.stop('SIGKILL');
    }
  });
});
