import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

const ADMIN = { email: 'admin@example.test', password: 'admin password 123' };

/** One cpu slot, so the order in which waiting jobs start is visible. */
describe('scheduling: plan priority and queue position', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(
      environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, WORKER_CPU_CONCURRENCY: '1', QUEUE_AGING_SECONDS: '3600' }),
    );
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('runs a premium job before a free job that was queued earlier, and reports queue positions', async () => {
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    const blocker = await registerUser(http, 'blocker');
    const free = await registerUser(http, 'free');
    const premium = await registerUser(http, 'premium');
    await admin.put(`/v1/admin/users/${premium.userId}/plan`, { plan: 'premium' });
    const socket = await SocketRecorder.connect(http.baseUrl, blocker.token);

    const big = (await blocker.client.upload('/v1/images', await gradientPng(4000, 4000))).body.id;
    const slow = (await blocker.client.post('/v1/jobs', { type: 'filter', input: { imageId: big, filter: 'blur', amount: 100 } })).body;
    await socket.waitFor(slow.id, 'job.started');

    const small = async (user: Awaited<ReturnType<typeof registerUser>>) => {
      const imageId = (await user.client.upload('/v1/images', await gradientPng())).body.id;
      return (await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 8 } })).body;
    };
    const freeJob = await small(free);
    const premiumJob = await small(premium);
    expect(freeJob.queuePosition).toBe(0);
    expect(premiumJob.queuePosition).toBe(0); // premium goes ahead of the waiting free job
    expect((await free.client.get(`/v1/jobs/${freeJob.id}`)).body.queuePosition).toBe(1);

    const [f, p] = await Promise.all([
      waitForJobStatus(free.client, freeJob.id, ['succeeded', 'failed']),
      waitForJobStatus(premium.client, premiumJob.id, ['succeeded', 'failed']),
    ]);
    expect([f.status, p.status]).toEqual(['succeeded', 'succeeded']);
    expect(Date.parse(p.startedAt)).toBeLessThan(Date.parse(f.startedAt));
    socket.close();
  });
});
