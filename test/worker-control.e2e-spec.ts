import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

const ADMIN = { email: 'control-admin@example.test', password: 'control admin password' };
const MODEL = 'blazeface-front';

interface WorkerView {
  id: string;
  draining: boolean;
  lastSeen: string;
  models: Array<{ id: string; state: string }>;
}

/** The admin control routes, through the real API, Redis transport and worker. */
describe('worker control: preload, unload, drain and resume', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let admin: HttpClient;
  let workerId: string;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'info' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
    admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    await api.waitUntil(async () => (await http.get('/health/workers')).body.workers.length === 1, 20_000);
    workerId = (await http.get('/health/workers')).body.workers[0].id;
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const workerView = async (): Promise<WorkerView> => (await http.get('/health/workers')).body.workers.find((w: WorkerView) => w.id === workerId);
  const modelState = async () => (await admin.get('/v1/models')).body.find((m: { id: string }) => m.id === MODEL)?.state as string;
  /** Polls until `check` holds; the worker publishes its heartbeat right after acting on a message. */
  const eventually = (check: () => Promise<boolean>) => api.waitUntil(check, 20_000);

  it('is for admins only, and refuses unknown workers and models', async () => {
    const user = await registerUser(http, 'not-admin');
    expect((await user.client.post(`/v1/admin/workers/${workerId}/drain`)).status).toBe(403);
    expect(await admin.post('/v1/admin/workers/00000000-0000-4000-8000-000000000000/drain')).toMatchObject({ status: 404, body: { code: 'WORKER_NOT_FOUND' } });
    expect(await admin.post('/v1/admin/workers/not-a-worker/resume')).toMatchObject({ status: 404, body: { code: 'WORKER_NOT_FOUND' } });
    expect(await admin.post('/v1/admin/models/no-such-model/preload')).toMatchObject({ status: 404, body: { code: 'MODEL_NOT_FOUND' } });
    expect(await admin.post(`/v1/admin/models/${MODEL}/preload`, { workerId: 'x' })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await workerView()).draining).toBe(false);
  });

  it('preloads a model (GET /v1/models shows it hot), then unloads it (cold again)', async () => {
    expect(await modelState()).toBe('cold');
    const preload = await admin.post(`/v1/admin/models/${MODEL}/preload`, { workerId });
    expect(preload).toMatchObject({ status: 202, body: { command: 'preload', modelId: MODEL, workerId } });
    await eventually(async () => (await modelState()) === 'hot');
    expect((await workerView()).models.find((m) => m.id === MODEL)?.state).toBe('hot');

    expect(await admin.post(`/v1/admin/models/${MODEL}/unload`)).toMatchObject({ status: 202, body: { command: 'unload', modelId: MODEL } });
    await eventually(async () => (await modelState()) !== 'hot');
    expect(await modelState()).toBe('cold');
  });

  it('sends a cancel to the worker running the job, over the same transport', async () => {
    const user = await registerUser(http, 'canceler');
    const imageId = (await user.client.upload('/v1/images', await gradientPng(4000, 4000))).body.id;
    const job = (await user.client.post('/v1/jobs', { type: 'filter', input: { imageId, filter: 'blur', amount: 100 } })).body;
    await eventually(async () => (await user.client.get(`/v1/jobs/${job.id}`)).body.status === 'running');
    expect((await user.client.post(`/v1/jobs/${job.id}/cancel`)).status).toBe(202);
    const received = () => worker.logs.split('\n').some((line) => line.includes('cancel received') && line.includes(job.id));
    await worker.waitUntil(received, 20_000);
    await eventually(async () => worker.logs.includes('job stopped after cancel'));
    expect((await user.client.get(`/v1/jobs/${job.id}`)).body.status).toBe('canceled');
  });

  it('drains a worker: a queued job is not taken while drained, and runs after resume', async () => {
    const user = await registerUser(http, 'drained');
    const imageId = (await user.client.upload('/v1/images', await gradientPng())).body.id;
    expect(await admin.post(`/v1/admin/workers/${workerId}/drain`)).toMatchObject({ status: 202, body: { command: 'drain', workerId } });
    await eventually(async () => (await workerView()).draining);
    expect((await http.get('/health/workers')).body.available).toBe(false);
    expect((await http.get('/health/ready')).body).toMatchObject({ status: 'degraded', details: { workers: { status: 'degraded', available: false } } });

    const job = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 10 } });
    expect(job.status).toBe(202);
    const queuedAt = Date.now();
    // A heartbeat sent after the job was queued: the worker is alive, still drained, and has not taken it.
    await eventually(async () => Date.parse((await workerView()).lastSeen) > queuedAt + 1000);
    expect((await workerView()).draining).toBe(true);
    expect((await user.client.get(`/v1/jobs/${job.body.id}`)).body.status).toBe('queued');

    expect(await admin.post(`/v1/admin/workers/${workerId}/resume`)).toMatchObject({ status: 202, body: { command: 'resume', workerId } });
    await eventually(async () => (await user.client.get(`/v1/jobs/${job.body.id}`)).body.status === 'succeeded');
    expect((await workerView()).draining).toBe(false);
    expect((await http.get('/health/workers')).body.available).toBe(true);
  });
});
