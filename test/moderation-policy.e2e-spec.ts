import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

/**
 * MODERATION=block on generated images. A threshold of 0 makes the policy flag every image the
 * classifier sees, so the refusal path runs on a real classification without adult content.
 */
describe('MODERATION=block: flagged outputs are withheld and the job fails', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let socket: SocketRecorder;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem({ ...environment.env(), MODERATION: 'block', MODERATION_THRESHOLD: '0' });
    ({ api, worker } = system);
    const http = new HttpClient(system.baseUrl);
    user = await registerUser(http, 'moderated');
    socket = await SocketRecorder.connect(http.baseUrl, user.token);
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('fails a txt2img job with CONTENT_REFUSED, shows none of its images, and releases the credits', async () => {
    const before = (await user.client.get('/v1/billing')).body;
    const submit = await user.client.post('/v1/jobs', { type: 'txt2img', input: { prompt: 'a quiet harbour', width: 64, height: 64, steps: 2, seed: 3 } });
    expect(submit.status).toBe(202);
    await socket.waitFor(submit.body.id, 'job.failed');
    const job = (await user.client.get(`/v1/jobs/${submit.body.id}`)).body;
    expect(job).toMatchObject({ status: 'failed', error: { code: 'CONTENT_REFUSED' } });
    expect(job.outputs ?? []).toEqual([]);
    expect((await user.client.get('/v1/billing')).body).toMatchObject({ balance: before.balance, reserved: 0 });
  });
});
