import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

const PREPARED = process.env.TEST_MODELS_DIR ?? join(process.cwd(), '.data', 'models');
const LINES_FILE = join('mlsd-tiny', 'mlsd_320x320_tiny.onnx');
const COOLDOWN_SECONDS = 3;

/**
 * A corrupt model on a real worker: its jobs fail at once with MODEL_UNAVAILABLE (credits
 * released), /v1/models says why, and after the cool-down a repaired file is loaded again.
 */
describe('a model that fails to load', () => {
  const environment = new TestEnvironment();
  const modelsDir = mkdtempSync(join(tmpdir(), 'atelier-broken-models-'));
  let api: AppProcess;
  let worker: AppProcess;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let socket: SocketRecorder;
  let imageId: string;
  /** When the failed load was seen; the worker's breaker opened before that, so its cool-down ends by this + the cool-down. */
  let loadFailureSeenAt: number;

  beforeAll(async () => {
    cpSync(join(PREPARED, 'mlsd-tiny'), join(modelsDir, 'mlsd-tiny'), { recursive: true });
    writeFileSync(join(modelsDir, LINES_FILE), 'not an ONNX model');
    await environment.create();
    const system = await startSystem(environment.env({ MODELS_DIR: modelsDir, MODEL_FAILURE_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), LOG_LEVEL: 'warn' }));
    ({ api, worker } = system);
    const http = new HttpClient(system.baseUrl);
    user = await registerUser(http, 'liner');
    socket = await SocketRecorder.connect(http.baseUrl, user.token);
    imageId = (await user.client.upload('/v1/images', await gradientPng(64, 48))).body.id;
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  const submitLines = async () => {
    const submit = await user.client.post('/v1/jobs', { type: 'detect-lines', input: { imageId } });
    expect(submit.status).toBe(202);
    return submit.body.id as string;
  };

  it('fails the job at once with MODEL_UNAVAILABLE, releases the credits and reports the model unhealthy', async () => {
    const before = (await user.client.get('/v1/billing')).body.balance;
    const first = await submitLines();
    await socket.waitFor(first, 'job.failed', 20_000);
    loadFailureSeenAt = Date.now();
    const job = (await user.client.get(`/v1/jobs/${first}`)).body;
    expect(job).toMatchObject({ status: 'failed', error: { code: 'MODEL_UNAVAILABLE' } });
    expect(job.error.message).toMatch(/mlsd-tiny could not be loaded/);
    expect((await user.client.get('/v1/billing')).body).toMatchObject({ balance: before, reserved: 0 });

    const second = await submitLines(); // inside the cool-down: no new load attempt
    await socket.waitFor(second, 'job.failed', 20_000);
    expect((await user.client.get(`/v1/jobs/${second}`)).body.error).toMatchObject({ code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(/cool-down/) });

    type ModelView = { id: string; healthy: boolean; error?: string };
    let lines: ModelView | undefined;
    // The API learns of the failure from the worker's next heartbeat (every 5 s).
    await waitFor(
      async () => {
        lines = ((await user.client.get('/v1/models')).body as ModelView[]).find((m) => m.id === 'mlsd-tiny');
        return lines?.healthy === false;
      },
      { timeoutMs: 15_000, intervalMs: 250, what: () => `mlsd-tiny to be listed unhealthy (last seen: ${JSON.stringify(lines)})` },
    );
    expect(lines).toMatchObject({ healthy: false, state: 'cold', error: expect.stringMatching(/cpu: /) });
  });

  it('loads the repaired file after the cool-down and runs the job', async () => {
    writeFileSync(join(modelsDir, LINES_FILE), readFileSync(join(PREPARED, LINES_FILE)));
    // The cool-down is a clock in the worker, not an event: wait until it has surely run out.
    const coolDownOver = loadFailureSeenAt + COOLDOWN_SECONDS * 1000;
    await waitFor(() => Date.now() >= coolDownOver, { timeoutMs: COOLDOWN_SECONDS * 1000 + 1000, intervalMs: 50, what: 'the cool-down to end' });
    const job = await submitLines();
    await socket.waitFor(job, 'job.succeeded', 30_000);
    expect((await user.client.get(`/v1/jobs/${job}`)).body.outputs[0]).toMatchObject({ kind: 'json', data: { segments: expect.any(Array) } });
  });
});
