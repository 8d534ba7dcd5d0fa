import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { TestEnvironment } from './support/test-environment';

const PREPARED = process.env.TEST_MODELS_DIR ?? join(process.cwd(), '.data', 'models');

/**
 * A model that cannot load, whose manifest names a fallback (here a second export of the same
 * tiny SD weights): its jobs run on the fallback and say so instead of failing.
 */
describe('fallback models', () => {
  const environment = new TestEnvironment();
  const manifests = mkdtempSync(join(tmpdir(), 'atelier-fallback-manifests-'));
  const models = mkdtempSync(join(tmpdir(), 'atelier-fallback-models-'));
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    for (const file of readdirSync('models')) cpSync(join('models', file), join(manifests, file));
    const tinySd = JSON.parse(readFileSync(join('models', 'tiny-sd.json'), 'utf8'));
    writeFileSync(join(manifests, 'tiny-sd.json'), JSON.stringify({ ...tinySd, fallback: 'tiny-sd-lite' }));
    writeFileSync(join(manifests, 'tiny-sd-lite.json'), JSON.stringify({ ...tinySd, id: 'tiny-sd-lite', description: 'tiny-sd again, as its fallback' }));
    cpSync(join(PREPARED, 'tiny-sd'), join(models, 'tiny-sd'), { recursive: true });
    cpSync(join(PREPARED, 'tiny-sd'), join(models, 'tiny-sd-lite'), { recursive: true });
    cpSync(join(PREPARED, 'pattern-cppn'), join(models, 'pattern-cppn'), { recursive: true });
    writeFileSync(join(models, 'tiny-sd', 'unet', 'model.onnx'), 'not an ONNX model');
    await environment.create();
    const system = await startSystem(environment.env({ MODELS_DIR: models, MODEL_MANIFESTS_DIR: manifests }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
    rmSync(manifests, { recursive: true, force: true });
    rmSync(models, { recursive: true, force: true });
  });

  it('runs a job of a model that cannot load on its fallback, with modelUsed and degraded: true', async () => {
    const user = await registerUser(http, 'fallback');
    const submitted = (await user.client.post('/v1/jobs', { type: 'txt2img', model: 'tiny-sd', input: { prompt: 'a lighthouse', width: 64, height: 64, steps: 2 } })).body;
    const done = await waitForJobStatus(user.client, submitted.id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', model: 'tiny-sd', modelUsed: 'tiny-sd-lite', degraded: true });
    expect(done.outputs.find((o: { kind?: string }) => o.kind === 'json').data).toMatchObject({ model: 'tiny-sd-lite' });
    expect(worker.logs).toContain('running on its fallback');

    // A model without a fallback still fails as before, and a healthy one is not degraded.
    const plain = (await user.client.post('/v1/jobs', { type: 'txt2img', model: 'tiny-sd-lite', input: { prompt: 'a harbour', width: 64, height: 64, steps: 2 } })).body;
    const ok = await waitForJobStatus(user.client, plain.id, ['succeeded', 'failed']);
    expect(ok).toMatchObject({ status: 'succeeded', modelUsed: 'tiny-sd-lite' });
    expect(ok.degraded).toBeUndefined();
  });
});
