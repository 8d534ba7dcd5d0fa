import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

/** The result cache through the real API and worker: the second identical job never reaches the worker. */
describe('result cache', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ RESULT_CACHE_COST: '1' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const startedOnWorker = (jobId: string) => worker.logs.split('\n').filter((line) => line.includes(jobId) && line.includes('job started')).length;

  it('answers an identical seeded generation and an identical analysis at once with the earlier outputs, charged RESULT_CACHE_COST', async () => {
    const user = await registerUser(http, 'cache');
    const socket = await SocketRecorder.connect(http.baseUrl, user.token);
    const imageId = (await user.client.upload('/v1/images', await gradientPng(96, 64))).body.id;
    const bodies = [
      { type: 'txt2img', input: { prompt: 'a lighthouse', width: 64, height: 64, steps: 4, seed: 11 } },
      { type: 'detect-lines', input: { imageId } },
    ];
    for (const body of bodies) {
      const first = (await user.client.post('/v1/jobs', body)).body;
      const done = await waitForJobStatus(user.client, first.id, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'succeeded' });
      expect(done.cached).toBeUndefined();
      const before = (await user.client.get('/v1/billing')).body;

      const again = await user.client.post('/v1/jobs', body);
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ status: 'succeeded', cached: true, cost: 1, progress: { percent: 100 } });
      expect(again.body.outputs.map((o: { imageId?: string; data?: unknown }) => o.imageId ?? o.data)).toEqual(done.outputs.map((o: { imageId?: string; data?: unknown }) => o.imageId ?? o.data));
      expect((await user.client.get(`/v1/jobs/${again.body.id}`)).body).toMatchObject({ status: 'succeeded', cached: true });
      expect((await user.client.get('/v1/billing')).body).toMatchObject({ balance: before.balance - 1, reserved: 0 });
      await socket.waitFor(again.body.id, 'job.succeeded');
      expect(socket.eventsOf(again.body.id).map((e) => e.event)).toEqual(['job.succeeded']);
      expect(startedOnWorker(again.body.id)).toBe(0);

      // cache: false computes it again on the worker.
      const fresh = (await user.client.post('/v1/jobs', { ...body, cache: false })).body;
      expect(fresh).toMatchObject({ status: 'queued' });
      expect(await waitForJobStatus(user.client, fresh.id, ['succeeded', 'failed'])).toMatchObject({ status: 'succeeded' });
      expect(startedOnWorker(fresh.id)).toBe(1);
    }
    // Another user's identical job is not answered from this user's results.
    const other = await registerUser(http, 'other');
    expect((await other.client.post('/v1/jobs', bodies[0])).body).toMatchObject({ status: 'queued' });
    socket.close();
  });
});
