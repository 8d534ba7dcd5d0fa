import { setTimeout as delay } from 'node:timers/promises';
import Bull from 'bull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from '../support/app-process';
import { HttpClient, registerUser } from '../support/http-client';
import { gradientPng } from '../support/images';
import { NOTHING_LOST, auditLedger } from '../support/ledger-audit';
import { PrivateRedis } from '../support/private-redis';
import { TestEnvironment } from '../support/test-environment';
import { waitFor } from '../support/wait-for';

const ADMIN = { email: 'redis-chaos@example.test', password: 'chaos admin password' };
/** The load's pace between two submits: a rate (about 20 a second), not a wait for anything. */
const LOAD_PACE_MS = 40;

/**
 * Redis is killed (losing everything: no persistence) and restarted under submit load.
 * Submits get 503 while it is down; every accepted job still finishes, without restarting
 * the API or the worker (the reconciler re-enqueues what Redis lost).
 */
describe('chaos: Redis restarted under submit load', () => {
  const environment = new TestEnvironment();
  let redis: PrivateRedis;
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    redis = await PrivateRedis.start();
    const env = environment.env({
      REDIS_URL: redis.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, QUEUE_RECONCILE_SECONDS: '2', QUEUE_LOCK_DURATION_MS: '2000', LOG_LEVEL: 'warn',
    });
    const system = await startSystem(env);
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await redis?.kill();
    await environment.destroy();
  });

  /** On failure: where each unfinished job is in Bull, and what the processes said. */
  const explain = async (jobs: Array<{ id: string; status: string }>) => {
    const queue = new Bull('cpu', { redis: redis.url, prefix: `${environment.redisPrefix}bull` });
    for (const job of jobs) console.log('UNFINISHED', job.id, job.status, await (await queue.getJob(job.id))?.getState());
    await queue.close();
    console.log('API LOG', api.logs.split('\n').filter((l) => !l.includes('ECONNREFUSED')).slice(-15).join('\n'));
    console.log('WORKER LOG', worker.logs.split('\n').filter((l) => !l.includes('ECONNREFUSED')).slice(-25).join('\n'));
  };

  it('answers 503 while Redis is down, loses no accepted job, and recovers by itself', async () => {
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    const user = await registerUser(http, 'redis-chaos');
    await admin.put('/v1/admin/plans/free', { ratePerMinute: 10_000, maxConcurrentJobs: 10_000 });
    const imageId = (await user.client.upload('/v1/images', await gradientPng())).body.id;

    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.get(status) ?? 0;
    let loading = true;
    const load = (async () => {
      let i = 0;
      while (loading) {
        const result = await user.client.post('/v1/jobs', { type: 'resize', input: { imageId, width: 4 + (i++ % 30) }, cache: false });
        statuses.set(result.status, count(result.status) + 1);
        if (result.status === 202) accepted.push(result.body.id);
        else expect([503, 429]).toContain(result.status);
        await delay(LOAD_PACE_MS);
      }
    })();
    const seen = () => JSON.stringify(Object.fromEntries(statuses));

    try {
      await waitFor(() => accepted.length >= 10, { what: () => `jobs accepted under load before the kill (so far ${seen()})` });
      await redis.kill();
      await waitFor(() => count(503) >= 10, { what: () => `503s while Redis is down (so far ${seen()})` });
      await redis.up();
      const acceptedWhileDown = accepted.length;
      await waitFor(() => accepted.length >= acceptedWhileDown + 10, { what: () => `submits accepted again after the restart (so far ${seen()})` });
    } finally {
      loading = false;
      await load;
    }

    expect(count(503)).toBeGreaterThan(0);
    let unfinished: Array<{ id: string; status: string }> = [];
    const allSucceeded = await waitFor(
      async () => {
        unfinished = await environment.query(`SELECT id, status FROM jobs WHERE owner_id = $1 AND status <> 'succeeded'`, [user.userId]);
        return unfinished.length === 0;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'every accepted job to succeed' },
    ).catch(() => false);
    if (!allSucceeded) await explain(unfinished);
    expect(unfinished).toEqual([]);
    const rows = await environment.query<{ id: string }>('SELECT id FROM jobs WHERE owner_id = $1', [user.userId]);
    expect(rows.map((r) => r.id).sort()).toEqual([...accepted].sort()); // refused submits left no rows
    const audit = await auditLedger(environment, [user.userId]);
    expect(audit.lost).toEqual(NOTHING_LOST);
    console.log(`redis chaos: ${JSON.stringify(Object.fromEntries(statuses))} (status: count); all ${accepted.length} accepted jobs succeeded; ${audit.undoneSubmits} submits undone after commit (the queue refused them); ledger lost ${JSON.stringify(audit.lost)}`);
  });
});
