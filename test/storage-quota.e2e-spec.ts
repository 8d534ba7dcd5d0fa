import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

const ADMIN = { email: 'admin@example.test', password: 'admin password 123' };

/** Per-plan storage quotas: the usage in GET /v1/billing, refused uploads, a job whose output does not fit, and the purge giving room back. */
describe('storage quotas per plan', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let admin: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const env = environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, IMAGE_RETENTION_DAYS: '0', IMAGE_PURGE_INTERVAL_SECONDS: '1', LOG_LEVEL: 'warn' });
    ({ api, worker } = await startSystem(env).then((s) => ((http = new HttpClient(s.baseUrl)), s)));
    admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('reports usage against the plan quota, refuses uploads past it, fails an output that does not fit and releases its credits', async () => {
    const user = await registerUser(http, 'quota');
    const fresh = (await user.client.get('/v1/billing')).body;
    expect(fresh.storage).toEqual({ usedBytes: 0, quotaBytes: 1024 ** 3 });
    expect(fresh.limits).toMatchObject({ storageQuotaBytes: 1024 ** 3, requestsPerMinute: null });

    const first = (await user.client.upload('/v1/images', await gradientPng(64, 48))).body;
    expect((await user.client.get('/v1/billing')).body.storage.usedBytes).toBe(first.bytes);

    const quota = first.bytes + 16;
    expect((await admin.put('/v1/admin/plans/free', { storageQuotaBytes: quota })).body.storageQuotaBytes).toBe(quota);
    const refused = await user.client.upload('/v1/images', await gradientPng(65, 48));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED', details: { quotaBytes: quota, usedBytes: first.bytes, requiredBytes: expect.any(Number) } });
    expect((await user.client.get('/v1/images')).body.items).toHaveLength(1);

    // Accepted (the quota is checked where the bytes are written), then failed cleanly by the worker.
    const before = (await user.client.get('/v1/billing')).body;
    const submitted = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId: first.id, width: 32 } });
    expect(submitted.status).toBe(202);
    const failed = await waitForJobStatus(user.client, submitted.body.id, ['failed', 'succeeded']);
    expect(failed).toMatchObject({ status: 'failed', outputs: [], error: { code: 'STORAGE_QUOTA_EXCEEDED' } });
    expect(failed.attempts).toBe(1); // not retried: a full quota stays full
    const after = (await user.client.get('/v1/billing')).body;
    expect(after).toMatchObject({ balance: before.balance, reserved: 0 });
    const ledger = (await user.client.get('/v1/billing/ledger')).body.items.filter((e: { jobId?: string }) => e.jobId === submitted.body.id);
    expect(ledger.map((e: { kind: string }) => e.kind).sort()).toEqual(['release', 'reserve']);
    expect((await user.client.get(`/v1/images?jobId=${submitted.body.id}`)).body.items).toEqual([]);
  });

  it('counts a deleted image until it is purged, then gives its room back', async () => {
    await admin.put('/v1/admin/plans/free', { storageQuotaBytes: 1024 ** 3 });
    const user = await registerUser(http, 'purge');
    const image = (await user.client.upload('/v1/images', await gradientPng(50, 40))).body;
    await admin.put('/v1/admin/plans/free', { storageQuotaBytes: image.bytes });
    expect((await user.client.upload('/v1/images', await gradientPng(51, 40))).status).toBe(403);
    expect((await user.client.delete(`/v1/images/${image.id}`)).status).toBe(204);
    // IMAGE_RETENTION_DAYS=0: the purge, every second, removes it; until then it still counts.
    await waitFor(async () => (await user.client.get('/v1/billing')).body.storage.usedBytes === 0, { what: 'the deleted image to be purged' });
    expect((await user.client.upload('/v1/images', await gradientPng(50, 40))).status).toBe(201);
    await admin.put('/v1/admin/plans/free', { storageQuotaBytes: 1024 ** 3 });
  });
});
