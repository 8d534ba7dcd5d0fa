import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, freePort, startApi } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { TestEnvironment } from './support/test-environment';

/** The API alone, without a worker: what it says about models, and what stops it at start-up. */
describe('model manifests in the API', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const started = await startApi(environment.env());
    api = started.api;
    http = new HttpClient(started.baseUrl);
  });

  afterAll(async () => {
    await api?.stop();
    await environment.destroy();
  });

  it('lists every declared model as cold and not healthy while no worker is alive', async () => {
    const user = await registerUser(http, 'no-worker');
    const models = await user.client.get('/v1/models');
    expect(models.status).toBe(200);
    expect(models.body.length).toBeGreaterThan(0);
    for (const model of models.body) {
      expect(model).toMatchObject({ state: 'cold', healthy: false, workers: 0, error: expect.stringMatching(/no live worker/i) });
    }
    // Model checks stay on: an unknown model is refused at submit.
    expect(await user.client.post('/v1/jobs', { type: 'txt2img', model: 'nope', input: { prompt: 'x' } })).toMatchObject({ status: 422, body: { code: 'UNKNOWN_MODEL' } });
  });

  const startFails = async (env: Record<string, string>) => {
    const port = await freePort();
    const broken = AppProcess.start('api', { ...environment.env(env), PORT: String(port) });
    await expect(broken.waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health/live`)).ok, 30_000)).rejects.toThrow(/exited during start-up/);
    return broken.logs;
  };

  it('refuses to start when the manifests cannot be read, naming the setting', async () => {
    expect(await startFails({ MODEL_MANIFESTS_DIR: '/nonexistent/manifests' })).toMatch(/MODEL_MANIFESTS_DIR \(\/nonexistent\/manifests\): Cannot read model manifests/);
  });

  it('refuses to start when a default model is not declared or does another type, naming the setting', async () => {
    expect(await startFails({ DEFAULT_TXT2IMG_MODEL: 'sd-9000' })).toMatch(/DEFAULT_TXT2IMG_MODEL: Unknown model sd-9000/);
    expect(await startFails({ DEFAULT_IMG2IMG_MODEL: 'pattern-cppn' })).toMatch(/DEFAULT_IMG2IMG_MODEL: Model pattern-cppn does not do img2img/);
  });
});
