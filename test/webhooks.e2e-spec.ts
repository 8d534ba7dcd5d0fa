import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '@atelier/jobs';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';
import { WebhookReceiver } from './support/webhook-receiver';

describe('webhooks', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    await environment.create();
    receiver = await WebhookReceiver.start([500, 200]);
    const system = await startSystem(environment.env({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1', WEBHOOK_RETRY_BASE_MS: '300' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop(), receiver?.close()]);
    await environment.destroy();
  });

  it('posts a signed job.succeeded, retries after a 500, and logs each attempt', async () => {
    const user = await registerUser(http, 'hooked');
    const image = await user.client.upload('/v1/images', await gradientPng());
    const job = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId: image.body.id, width: 16 }, webhookUrl: receiver.url });
    expect(job.status).toBe(202);
    await receiver.waitFor(2);

    const { secret } = (await user.client.get('/v1/webhooks/secret')).body;
    expect(secret).toMatch(/^whsec_/);
    const [first, second] = receiver.received;
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    for (const hook of [first, second]) {
      const ok = verifyWebhook(secret, hook.headers['webhook-id'], Number(hook.headers['webhook-timestamp']), hook.body, hook.headers['webhook-signature']);
      expect(ok).toBe(true);
    }
    const payload = JSON.parse(second.body);
    expect(payload).toMatchObject({ type: 'job.succeeded', job: { id: job.body.id, status: 'succeeded' } });

    // The delivery is logged once its answer is in, so after the receiver has answered.
    const log = await waitFor(
      async () => {
        const rows = await environment.query<{ attempt: number; status_code: number }>(
          'SELECT attempt, status_code FROM webhook_deliveries WHERE job_id = $1 ORDER BY attempt', [job.body.id]);
        return rows.length >= 2 && rows;
      },
      { what: 'both webhook deliveries to be logged' },
    );
    expect(log).toEqual([{ attempt: 1, status_code: 500 }, { attempt: 2, status_code: 200 }]);
  });

  it('refuses private, loopback-by-name and metadata targets at submit (422)', async () => {
    const user = await registerUser(http, 'ssrf');
    const image = await user.client.upload('/v1/images', await gradientPng());
    for (const webhookUrl of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.7/hook', 'http://localhost:9/hook', 'http://[::1]/x']) {
      const result = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId: image.body.id, width: 16 }, webhookUrl });
      expect(result.status, webhookUrl).toBe(422);
      expect(result.body.code).toBe('WEBHOOK_URL_FORBIDDEN');
    }
  });
});
