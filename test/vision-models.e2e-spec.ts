import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { facePhoto } from './support/face-photo';
import { HttpClient, registerUser } from './support/http-client';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

/** The learned vision models (converted from TF.js at models:prepare) through the API and a worker. */
describe('learned vision models: API → worker → outputs', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let socket: SocketRecorder;
  let photoId: string;

  const run = async (type: string, input: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const submit = await user.client.post('/v1/jobs', { type, input, ...extra });
    expect(submit.status).toBe(202);
    await socket.waitFor(submit.body.id, 'job.succeeded');
    return (await user.client.get(`/v1/jobs/${submit.body.id}`)).body;
  };

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem({ ...environment.env(), WORKER_GPU_CONCURRENCY: '2' });
    ({ api, worker } = system);
    const http = new HttpClient(system.baseUrl);
    user = await registerUser(http, 'vision');
    socket = await SocketRecorder.connect(http.baseUrl, user.token);
    // A small face crop of a real photo: the learned models see real content, and the jobs stay quick.
    const face = await sharp((await facePhoto()).bytes).extract({ left: 380, top: 300, width: 240, height: 240 }).resize(60, 60).png().toBuffer();
    photoId = (await user.client.upload('/v1/images', face)).body.id;
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('upscales with the learned default model, a chosen PSNR model, or Lanczos on request, and says which ran', async () => {
    const learned = await run('upscale', { imageId: photoId, scale: 4 });
    expect(learned.model).toBe('esrgan-gans-x4');
    expect(learned.outputs[0]).toMatchObject({ width: 240, height: 240 });
    expect(learned.outputs[1]).toEqual({ kind: 'json', data: { method: 'super-resolution', model: 'esrgan-gans-x4', scale: 4, modelScale: 4, tiles: 1, provider: 'cpu' } });

    const chosen = await run('upscale', { imageId: photoId, scale: 3 }, { model: 'esrgan-psnr-x3' });
    expect(chosen.outputs[0]).toMatchObject({ width: 180, height: 180 });
    expect(chosen.outputs[1].data).toMatchObject({ method: 'super-resolution', model: 'esrgan-psnr-x3', scale: 3, modelScale: 3 });

    const lanczos = await run('upscale', { imageId: photoId, scale: 2, method: 'lanczos' });
    expect(lanczos.outputs[1]).toEqual({ kind: 'json', data: { method: 'lanczos3', scale: 2 } });

    const wrong = await user.client.post('/v1/jobs', { type: 'upscale', input: { imageId: photoId }, model: 'blazeface-front' });
    expect(wrong).toMatchObject({ status: 422, body: { code: 'MODEL_WRONG_PIPELINE' } });
  });

  it('moderates a real photo: five scores summing to 1, not flagged, and the verdict stored with the image', async () => {
    const job = await run('moderate', { imageId: photoId });
    const [result] = job.outputs;
    expect(result.kind).toBe('json');
    expect(result.data).toMatchObject({ flagged: false, model: 'nsfw-mobilenet-v2' });
    const scores = Object.values(result.data.labels as Record<string, number>);
    expect(Object.keys(result.data.labels).sort()).toEqual(['drawing', 'hentai', 'neutral', 'porn', 'sexy']);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    const image = (await user.client.get(`/v1/images/${photoId}`)).body;
    expect(image.moderation).toEqual(result.data);
  });

  it('cuts out the person of a real photo as an RGBA PNG at the input size', async () => {
    const job = await run('remove-background', { imageId: photoId });
    expect(job.outputs[0]).toMatchObject({ width: 60, height: 60 });
    expect(job.outputs[1]).toEqual({ kind: 'json', data: { coverage: expect.any(Number), model: 'mediapipe-selfie' } });
    expect(job.outputs[1].data.coverage).toBeGreaterThan(0.2);
    const { bytes } = await user.client.bytes(job.outputs[0].url);
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'png', channels: 4, width: 60, height: 60 });
  });

  it('shows the models that ran as hot on /v1/models', async () => {
    const models = async () => Object.fromEntries((await user.client.get('/v1/models')).body.map((m: { id: string }) => [m.id, m]));
    // The worker's heartbeat carries model states every few seconds.
    const ran = ['esrgan-gans-x4', 'esrgan-psnr-x3', 'nsfw-mobilenet-v2', 'mediapipe-selfie'];
    await expect.poll(async () => { const byId = await models(); return ran.map((id) => byId[id].state); }, { timeout: 20_000, interval: 500 }).toEqual(['hot', 'hot', 'hot', 'hot']);
    const byId = await models();
    expect(byId['esrgan-gans-x4']).toMatchObject({ pipeline: 'upscale', description: expect.stringMatching(/GAN-trained/) });
    expect(byId['esrgan-psnr-x2'].state).toBe('cold');
    expect(byId['nsfw-mobilenet-v2']).toMatchObject({ pipeline: 'moderate', jobTypes: ['moderate'] });
  });
});
