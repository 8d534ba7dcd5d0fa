import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, startSystem } from '../support/app-process';
import { HttpClient, registerUser } from '../support/http-client';
import { gradientPng } from '../support/images';
import { NOTHING_LOST, settleAndAudit } from '../support/ledger-audit';
import { TestEnvironment } from '../support/test-environment';
import { waitFor } from '../support/wait-for';

const ADMIN = { email: 'api-kill@example.test', password: 'chaos admin password' };
/** Submitters running at once, each as fast as the API answers: a burst, so the kill lands mid-request. */
const SUBMITTERS = 6;
const KILLS = 1;
/** Jobs accepted between two kills. */
const BURST = 20;

/**
 * The API is SIGKILLed during a submit burst and restarted by the test. A client whose
 * request got no answer sends it again with the same Idempotency-Key until it gets one. Afterwards every
 * job ends once and is settled once, no reservation is left without its job, and no request
 * made two jobs: a job committed just before the kill but never enqueued is found by the
 * reconciler of the restarted API.
 */
describe('chaos: the API killed during a submit burst', () => {
  const environment = new TestEnvironment();
  const env = environment.env({
    ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, QUEUE_RECONCILE_SECONDS: '2', API_REQUESTS_PER_MINUTE: '100000', LOG_LEVEL: 'warn',
  });
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let port: string;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(env);
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
    port = new URL(system.baseUrl).port;
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('loses no job and no credit, and makes no duplicate, across SIGKILLs of the API', async () => {
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    const user = await registerUser(http, 'api-kill');
    await admin.put('/v1/admin/plans/free', { ratePerMinute: 100_000, maxConcurrentJobs: 100_000 });
    await admin.post(`/v1/admin/users/${user.userId}/credits`, { amount: 10_000, reason: 'chaos load' });
    const imageId = (await user.client.upload('/v1/images', await gradientPng())).body.id;

    const accepted = new Set<string>();
    const outcomes = new Map<string, number>();
    const note = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
    let loading = true;
    let n = 0;
    /** Submits as a careful client does: a request that got no answer is sent again with the same Idempotency-Key until it gets one. */
    const submitter = async () => {
      while (loading) {
        const key = randomUUID();
        const body = { type: 'resize', input: { imageId, width: 4 + (n++ % 40) }, cache: false };
        for (let attempt = 0; ; attempt++) {
          const result = await user.client.post('/v1/jobs', body, { 'idempotency-key': key }).catch(() => undefined);
          if (!result || result.status >= 500) {
            note(result ? String(result.status) : 'no answer');
            await delay(100); // the API is down: a retry pace, not a wait for anything
            continue;
          }
          if (result.status !== 202 && result.status !== 200) throw new Error(`unexpected ${result.status}: ${JSON.stringify(result.body)}`);
          note(result.status === 200 ? 'replayed (200)' : attempt ? 'made on a retry (202)' : '202');
          accepted.add(result.body.id);
          break;
        }
      }
    };
    const killedLogs: string[] = [];
    const seen = () => JSON.stringify(Object.fromEntries(outcomes));
    const load = Promise.all(Array.from({ length: SUBMITTERS }, submitter));
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const before = accepted.size;
        await waitFor(() => accepted.size >= before + BURST, { timeoutMs: 20_000, what: () => `submits accepted before kill ${kill + 1} (${seen()})` });
        await api.stop('SIGKILL');
        killedLogs.push(api.logs);
        api = AppProcess.start('api', { ...env, PORT: port });
        await api.waitUntil(async () => (await fetch(`${http.baseUrl}/health/live`)).ok);
      }
      const after = accepted.size;
      await waitFor(() => accepted.size >= after + BURST, { timeoutMs: 20_000, what: () => `submits accepted after the last restart (${seen()})` });
    } finally {
      loading = false;
      await load;
    }

    const audit = await settleAndAudit(environment, [user.userId]);
    expect(audit.lost).toEqual(NOTHING_LOST);
    expect(audit.byStatus).toEqual({ succeeded: accepted.size });
    expect(audit.jobs).toBe(accepted.size); // one job per request, none made twice
    // What the reconcilers of the restarted API put back in the queue (rows committed but never enqueued).
    const restored = [...killedLogs, api.logs].join('\n').match(/"restored":\d+/g)?.map((m) => Number(m.split(':')[1])).reduce((a, b) => a + b, 0) ?? 0;
    console.log(
      `api kill: ${KILLS} SIGKILLs under ${SUBMITTERS} submitters: ${seen()} (outcome: count); ${audit.jobs} jobs, all succeeded; undone submits ${audit.undoneSubmits}, re-enqueued by the reconciler ${restored}; lost ${JSON.stringify(audit.lost)}`,
    );
  });
});
