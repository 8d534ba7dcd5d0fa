import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPngText } from '@atelier/inference';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

/** txt2img and img2img through the API, a worker process, Socket.IO and storage, with the project's models. */
describe('generation: API → worker → Socket.IO → image', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let socket: SocketRecorder;

  beforeAll(async () => {
    await environment.create();
    // Two GPU-lane slots so concurrent generation jobs can meet in the dynamic batcher.
    const system = await startSystem({ ...environment.env(), WORKER_GPU_CONCURRENCY: '4', GENERATION_BATCH_WAIT_MS: '300', UPSCALE_MODEL: 'tiny-sr', UPSCALE_TILE_SIZE: '32' });
    ({ api, worker } = system);
    const http = new HttpClient(system.baseUrl);
    user = await registerUser(http, 'painter');
    socket = await SocketRecorder.connect(http.baseUrl, user.token);
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('makes a seeded PNG with the default generator, with step progress and previews over Socket.IO', async () => {
    const body = { type: 'txt2img', input: { prompt: 'a lighthouse in a storm', width: 128, height: 96, steps: 8, seed: 7, batch: 2 } };
    const submit = await user.client.post('/v1/jobs', body);
    expect(submit.status).toBe(202);
    const jobId: string = submit.body.id;
    await socket.waitFor(jobId, 'job.succeeded');
    const progress = socket.eventsOf(jobId).filter((e) => e.event === 'job.progress').map((e) => e.payload as { step: number; totalSteps: number; previewUrl?: string });
    expect(progress.at(-1)).toMatchObject({ step: 8, totalSteps: 8 });
    expect(progress.some((p) => p.previewUrl?.startsWith('data:image/webp;base64,'))).toBe(true);

    const job = await user.client.get(`/v1/jobs/${jobId}`);
    // The API resolves the default model at submit and echoes the accepted input, defaults applied.
    expect(job.body).toMatchObject({ status: 'succeeded', model: 'pattern-cppn', progress: { percent: 100 } });
    expect(job.body.input).toEqual({ ...body.input, guidance: 7 });
    const images = job.body.outputs.filter((o: { imageId?: string }) => o.imageId);
    expect(images.map((o: { seed: number; width: number }) => [o.seed, o.width])).toEqual([[7, 128], [8, 128]]);
    const report = job.body.outputs.find((o: { kind?: string }) => o.kind === 'json');
    expect(report.data).toMatchObject({ model: 'pattern-cppn', provider: 'cpu', seeds: [7, 8], degradations: [] });

    const download = await user.client.bytes(images[0].url);
    expect(await sharp(download.bytes).metadata()).toMatchObject({ width: 128, height: 96, format: 'png' });
    expect(readPngText(download.bytes).parameters).toContain('Seed: 7, Size: 128x96, Model: pattern-cppn');

    // The same request again, computed (not answered by the result cache), gives the same pixels: the seed is the image.
    const again = await user.client.post('/v1/jobs', { ...body, cache: false });
    await socket.waitFor(again.body.id, 'job.succeeded');
    const againJob = await user.client.get(`/v1/jobs/${again.body.id}`);
    const againBytes = await user.client.bytes(againJob.body.outputs[0].url);
    expect(againBytes.bytes.equals(download.bytes)).toBe(true);
  });

  it('batches concurrent tiny-SD jobs into one model run and runs img2img on an upload', async () => {
    const input = { width: 64, height: 64, steps: 6, guidance: 5, scheduler: 'ddim' };
    const submits = await Promise.all(
      ['a red cat', 'a blue dog'].map((prompt, i) => user.client.post('/v1/jobs', { type: 'txt2img', model: 'tiny-sd', input: { ...input, prompt, seed: i } })),
    );
    const jobs = await Promise.all(submits.map(async (s) => {
      expect(s.status).toBe(202);
      await socket.waitFor(s.body.id, 'job.succeeded');
      return (await user.client.get(`/v1/jobs/${s.body.id}`)).body;
    }));
    const reports = jobs.map((j) => j.outputs.find((o: { kind?: string }) => o.kind === 'json').data);
    expect(reports.map((r) => r.batchedWith)).toEqual([2, 2]);

    const source = await user.client.upload('/v1/images', await gradientPng(96, 80));
    const img2img = await user.client.post('/v1/jobs', { type: 'img2img', model: 'tiny-sd', input: { ...input, prompt: 'oil painting', imageId: source.body.id, strength: 0.5 } });
    expect(img2img.status).toBe(202);
    await socket.waitFor(img2img.body.id, 'job.succeeded');
    const done = (await user.client.get(`/v1/jobs/${img2img.body.id}`)).body;
    expect(done.outputs[0]).toMatchObject({ width: 64, height: 64, seed: expect.any(Number) });
    // strength 0.5 of 6 steps: 3 steps run.
    const steps = socket.eventsOf(img2img.body.id).filter((e) => e.event === 'job.progress').map((e) => (e.payload as { totalSteps: number }).totalSteps);
    expect(new Set(steps)).toEqual(new Set([3]));
  });

  it('refuses an unknown model or one that does not do the job type with 422, and lists the generators', async () => {
    const unknown = await user.client.post('/v1/jobs', { type: 'txt2img', model: 'sd-9000', input: { prompt: 'x' } });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'UNKNOWN_MODEL', details: { field: 'model' } } });
    const wrong = await user.client.post('/v1/jobs', { type: 'img2img', model: 'pattern-cppn', input: { prompt: 'x', imageId: '0190a0b0-0000-7000-8000-000000000000' } });
    expect(wrong).toMatchObject({ status: 422, body: { code: 'MODEL_WRONG_PIPELINE', details: { field: 'model' } } });
    const notApplicable = await user.client.post('/v1/jobs', { type: 'ocr', model: 'paddleocr-v4', input: { imageId: '0190a0b0-0000-7000-8000-000000000000' } });
    expect(notApplicable).toMatchObject({ status: 422, body: { code: 'INVALID_JOB', details: { field: 'model' } } });
    // The worker's heartbeat carries model states every few seconds.
    const models = async () => Object.fromEntries((await user.client.get('/v1/models')).body.map((m: { id: string }) => [m.id, m]));
    await expect.poll(async () => (await models())['tiny-sd'].state, { timeout: 20_000, interval: 500 }).toBe('hot');
    const byId = await models();
    expect(byId['pattern-cppn']).toMatchObject({ pipeline: 'txt2img', state: 'hot', provider: 'cpu' });
    expect(byId['pattern-cppn'].description).toMatch(/not a diffusion model/i);
    expect(byId['tiny-sd']).toMatchObject({ jobTypes: ['txt2img', 'img2img'], state: 'hot' });
  });

  it('upscales with the configured super-resolution model, tile by tile, and says so', async () => {
    const source = await user.client.upload('/v1/images', await gradientPng(60, 40));
    const submit = await user.client.post('/v1/jobs', { type: 'upscale', input: { imageId: source.body.id, scale: 4 } });
    expect(submit.status).toBe(202);
    await socket.waitFor(submit.body.id, 'job.succeeded');
    const job = (await user.client.get(`/v1/jobs/${submit.body.id}`)).body;
    expect(job.outputs[0]).toMatchObject({ width: 240, height: 160 });
    expect(job.outputs[1]).toEqual({ kind: 'json', data: { method: 'super-resolution', model: 'tiny-sr', scale: 4, modelScale: 4, tiles: 4, provider: 'cpu' } });
    const steps = socket.eventsOf(submit.body.id).filter((e) => e.event === 'job.progress').map((e) => (e.payload as { step: number }).step);
    expect(steps.length).toBeGreaterThan(0);
  });
});
