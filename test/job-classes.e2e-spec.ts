import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

const ADMIN = { email: 'admin@example.test', password: 'admin password 123' };
type User = Awaited<ReturnType<typeof registerUser>>;

/** One worker, one slot per queue: what waits behind what is visible. */
describe('job classes: light GPU work in its own queue, fairness within a class', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let admin: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(
      environment.env({
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        WORKER_CPU_CONCURRENCY: '1',
        WORKER_GPU_CONCURRENCY: '1',
        WORKER_LIGHT_CONCURRENCY: '1',
        QUEUE_AGING_SECONDS: '3600',
        MODEL_PRELOAD: 'tiny-sd',
      }),
    );
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
    admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    await admin.put('/v1/admin/plans/free', { ratePerMinute: 1000, maxConcurrentJobs: 20 });
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const upload = async (user: User, width = 64, height = 48) => (await user.client.upload('/v1/images', await gradientPng(width, height))).body.id as string;

  it('runs face, line and text detection while generations hold every generation slot', async () => {
    const painter = await registerUser(http, 'painter');
    const socket = await SocketRecorder.connect(http.baseUrl, painter.token);
    const long = { type: 'txt2img', model: 'tiny-sd', input: { prompt: 'a long night', width: 512, height: 512, steps: 150 } };
    const running = (await painter.client.post('/v1/jobs', long)).body;
    const waiting = (await painter.client.post('/v1/jobs', long)).body;
    await socket.waitFor(running.id, 'job.progress');

    const analyst = await registerUser(http, 'analyst');
    const imageId = await upload(analyst);
    const light = [];
    for (const type of ['detect-faces', 'detect-lines', 'ocr']) light.push((await analyst.client.post('/v1/jobs', { type, input: { imageId } })).body);
    // Its position counts its own queue only: the waiting generation is not ahead of it.
    expect(light[0]).toMatchObject({ status: 'queued', queuePosition: 0 });
    let lastLightEnd = 0;
    for (const job of light) {
      const done = await waitForJobStatus(analyst.client, job.id, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'succeeded' });
      lastLightEnd = Math.max(lastLightEnd, Date.parse(done.finishedAt));
    }
    // The generation queued before them had not even started when they were all done.
    const second = (await painter.client.get(`/v1/jobs/${waiting.id}`)).body;
    if (second.status !== 'queued') expect(Date.parse(second.startedAt)).toBeGreaterThan(lastLightEnd);
    for (const job of [waiting, running]) await painter.client.post(`/v1/jobs/${job.id}/cancel`);
    // On a fast machine the long generation may end before the cancel reaches it: then it must
    // have ended after the light jobs, which ran while it held the only generation slot.
    const first = await waitForJobStatus(painter.client, running.id, ['canceled', 'succeeded']);
    if (first.status === 'succeeded') expect(Date.parse(first.finishedAt)).toBeGreaterThan(lastLightEnd);
    socket.close();
  });

  it("interleaves another user's job with one user's burst instead of queueing it behind the whole burst", async () => {
    const blocker = await registerUser(http, 'blocker');
    const big = await upload(blocker, 4000, 4000);
    const socket = await SocketRecorder.connect(http.baseUrl, blocker.token);
    const slow = (await blocker.client.post('/v1/jobs', { type: 'filter', input: { imageId: big, filter: 'blur', amount: 100 } })).body;
    await socket.waitFor(slow.id, 'job.started');

    const burster = await registerUser(http, 'burster');
    const mine = await upload(burster);
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push((await burster.client.post('/v1/jobs', { type: 'resize', input: { imageId: mine, width: 8 + i } })).body);
    const other = await registerUser(http, 'patient');
    const theirs = await upload(other);
    const single = (await other.client.post('/v1/jobs', { type: 'resize', input: { imageId: theirs, width: 8 } })).body;

    const done = await Promise.all(burst.map((job) => waitForJobStatus(burster.client, job.id, ['succeeded', 'failed'])));
    const lone = await waitForJobStatus(other.client, single.id, ['succeeded', 'failed']);
    const startOrder = [...done.map((job, i) => ({ who: `burst${i}`, at: Date.parse(job.startedAt) })), { who: 'other', at: Date.parse(lone.startedAt) }]
      .sort((a, b) => a.at - b.at)
      .map((s) => s.who);
    // The burst's first job was ahead already; the other user's job goes next, not sixth.
    expect(startOrder).toEqual(['burst0', 'other', 'burst1', 'burst2', 'burst3', 'burst4']);
    socket.close();
  });
});
