import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, startSystem } from '../support/app-process';
import { HttpClient, registerUser } from '../support/http-client';
import { gradientPng } from '../support/images';
import { TestEnvironment } from '../support/test-environment';
import { waitFor } from '../support/wait-for';

const ADMIN = { email: 'chaos@example.test', password: 'chaos admin password' };
const JOBS = 100;
const KILLS = 6;

/** SIGKILL the worker again and again while 100 jobs run: each ends once, each is settled once. */
describe('chaos: worker killed repeatedly mid-jobs', () => {
  const environment = new TestEnvironment();
  const env = environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, QUEUE_LOCK_DURATION_MS: '1500', LOG_LEVEL: 'warn' });
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(env);
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it(`ends every one of ${JOBS} jobs in exactly one final state with exactly one settlement`, async () => {
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    const user = await registerUser(http, 'chaos');
    await admin.put('/v1/admin/plans/free', { ratePerMinute: 10_000, maxConcurrentJobs: 10_000 });
    const imageId = (await user.client.upload('/v1/images', await gradientPng(1200, 1200))).body.id;
    const ids: string[] = [];
    let workerStartedAt = new Date();
    for (let i = 0; i < JOBS; i++) {
      // cache: false: every job must really run (20 distinct inputs repeat, and the result cache would answer the repeats).
      const job = await user.client.post('/v1/jobs', { type: 'filter', input: { imageId, filter: 'blur', amount: 10 + (i % 20) }, cache: false });
      expect(job.status).toBe(202);
      ids.push(job.body.id);
    }

    for (let kill = 0; kill < KILLS; kill++) {
      // Kill it mid-work: once this worker has finished a job and has started another one.
      await waitFor(
        async () => {
          const [work] = await environment.query<{ finished: number; running: number }>(
            `SELECT count(*) FILTER (WHERE finished_at >= $1)::int AS finished,
                    count(*) FILTER (WHERE status = 'running' AND started_at >= $1)::int AS running
             FROM jobs WHERE owner_id = $2`,
            [workerStartedAt, user.userId],
          );
          return work.finished > 0 && work.running > 0;
        },
        { timeoutMs: 120_000, intervalMs: 50, what: `worker ${kill + 1} to finish one job and run another` },
      );
      await worker.stop('SIGKILL');
      workerStartedAt = new Date();
      worker = AppProcess.start('worker', env);
    }

    let open: Array<{ id: string; status: string }> = [];
    await waitFor(
      async () => {
        open = await environment.query(`SELECT id, status FROM jobs WHERE status IN ('queued', 'running')`);
        return open.length === 0;
      },
      { timeoutMs: 150_000, intervalMs: 500, what: 'every job to end' },
    ).catch(() => undefined); // the assertion below says which are stuck
    expect(open, `stuck: ${JSON.stringify(open.slice(0, 5))}`).toEqual([]);

    const rows = await environment.query<{ id: string; status: string; settlements: string[] }>(
      `SELECT j.id, j.status, array_remove(array_agg(l.kind ORDER BY l.kind), NULL) AS settlements
       FROM jobs j LEFT JOIN ledger_entries l ON l.job_id = j.id AND l.kind IN ('capture', 'release')
       WHERE j.owner_id = $1 GROUP BY j.id, j.status`,
      [user.userId],
    );
    expect(rows).toHaveLength(JOBS);
    for (const row of rows) {
      expect(['succeeded', 'failed']).toContain(row.status);
      expect(row.settlements).toEqual([row.status === 'succeeded' ? 'capture' : 'release']);
    }
    const [balance] = await environment.query<{ reserved: number }>('SELECT reserved FROM balances WHERE user_id = $1', [user.userId]);
    expect(balance.reserved).toBe(0);
    const succeeded = rows.filter((r) => r.status === 'succeeded').length;
    const [{ rerun }] = await environment.query<{ rerun: number }>('SELECT count(*)::int AS rerun FROM jobs WHERE attempts > 1');
    console.log(`chaos: ${KILLS} kills, ${rerun} jobs re-run after a kill, ${succeeded}/${JOBS} succeeded, ${JOBS - succeeded} failed (stalled twice), all settled once`);
    expect(succeeded).toBeGreaterThan(JOBS / 2);
  });
});
