import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, freePort, startApi } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

const PREPARED = process.env.TEST_MODELS_DIR ?? join(process.cwd(), '.data', 'models');

/** A worker whose own jobs keep failing leaves rotation; a healthy one takes the work. */
describe('bad workers leave rotation', () => {
  const environment = new TestEnvironment();
  const brokenModels = mkdtempSync(join(tmpdir(), 'atelier-bad-worker-models-'));
  let api: AppProcess;
  let bad: AppProcess;
  let good: AppProcess | undefined;
  let http: HttpClient;
  let badPort: number;

  beforeAll(async () => {
    cpSync(join(PREPARED, 'mlsd-tiny'), join(brokenModels, 'mlsd-tiny'), { recursive: true });
    writeFileSync(join(brokenModels, 'mlsd-tiny', 'mlsd_320x320_tiny.onnx'), 'not an ONNX model');
    await environment.create();
    const started = await startApi(environment.env());
    api = started.api;
    http = new HttpClient(started.baseUrl);
    badPort = await freePort();
    bad = AppProcess.start('worker', environment.env({ MODELS_DIR: brokenModels, WORKER_UNHEALTHY_AFTER_FAILURES: '2', WORKER_METRICS_PORT: String(badPort), MODEL_FAILURE_COOLDOWN_SECONDS: '600' }));
    await bad.waitUntil(() => bad.logs.includes('Atelier worker ready'));
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), bad?.stop(), good?.stop()]);
    await environment.destroy();
    rmSync(brokenModels, { recursive: true, force: true });
  });

  const live = async () => {
    const response = await fetch(`http://127.0.0.1:${badPort}/health/live`);
    return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
  };

  it('stops taking jobs, reports unhealthy and fails its liveness probe; another worker runs the next job', async () => {
    expect(await live()).toEqual({ status: 200, body: { status: 'ok' } });
    const user = await registerUser(http, 'lines');
    const imageId = (await user.client.upload('/v1/images', await gradientPng(64, 48))).body.id;
    const lines = async () => (await user.client.post('/v1/jobs', { type: 'detect-lines', input: { imageId } })).body.id as string;

    for (let i = 0; i < 2; i++) {
      const failed = await waitForJobStatus(user.client, await lines(), ['succeeded', 'failed']);
      expect(failed).toMatchObject({ status: 'failed', error: { code: 'MODEL_UNAVAILABLE' } });
    }
    expect(await live()).toMatchObject({ status: 503, body: { status: 'unhealthy', reason: expect.stringContaining('2 jobs in a row failed') } });
    const seen = await waitFor(
      async () => {
        const { workers } = (await http.get('/health/workers')).body as { workers: Array<{ healthy: boolean; draining: boolean; unhealthyReason?: string }> };
        return workers.find((w) => !w.healthy);
      },
      { timeoutMs: 15_000, what: () => 'the heartbeat to say unhealthy' },
    );
    expect(seen).toMatchObject({ healthy: false, draining: true, unhealthyReason: expect.stringContaining('MODEL_UNAVAILABLE') });
    expect((await http.get('/health/workers')).body.available).toBe(false);

    // The next job waits for a worker that takes jobs, and a healthy one runs it.
    const next = await lines();
    good = AppProcess.start('worker', environment.env({ MODELS_DIR: PREPARED }));
    await good.waitUntil(() => good!.logs.includes('Atelier worker ready'));
    expect(await waitForJobStatus(user.client, next, ['succeeded', 'failed'])).toMatchObject({ status: 'succeeded' });
    const startedOn = (worker: AppProcess) => worker.logs.split('\n').some((line) => line.includes(next) && line.includes('job started'));
    expect([startedOn(bad), startedOn(good)]).toEqual([false, true]);
  });
});
