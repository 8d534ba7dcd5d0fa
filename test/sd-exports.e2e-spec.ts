import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPngText } from '@atelier/inference';
import { type AppProcess, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

/** Each Stable-Diffusion export layout the project builds a tiny model for, through the API and a worker. */
describe('Stable-Diffusion exports: API → worker → image', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let socket: SocketRecorder;
  const sockets: SocketRecorder[] = [];

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem({ ...environment.env(), GENERATION_BATCH_WAIT_MS: '0' });
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  /** Submits a job, waits for it and returns it with its first image's bytes. */
  async function run(type: string, model: string, input: Record<string, unknown>) {
    const submit = await user.client.post('/v1/jobs', { type, model, input });
    expect(submit.status, JSON.stringify(submit.body)).toBe(202);
    await socket.waitFor(submit.body.id, 'job.succeeded', 30_000).catch(async (error: Error) => {
      const failed = (await user.client.get(`/v1/jobs/${submit.body.id}`)).body;
      throw new Error(`${error.message}: ${JSON.stringify(failed.error)}`);
    });
    const job = (await user.client.get(`/v1/jobs/${submit.body.id}`)).body;
    const png = (await user.client.bytes(job.outputs[0].url)).bytes;
    return { job, png };
  }

  /** A user of one's own per test: the plan's submission rate counts per user. */
  async function asNewUser(name: string): Promise<void> {
    user = await registerUser(http, name);
    socket = await SocketRecorder.connect(http.baseUrl, user.token);
    sockets.push(socket);
  }

  const small = { prompt: 'a red cat', width: 64, height: 64, steps: 3, seed: 11, guidance: 5 };

  it('runs a float16 export (tiny-sd-fp16) for txt2img and img2img', async () => {
    await asNewUser('fp16');
    const { job, png } = await run('txt2img', 'tiny-sd-fp16', small);
    expect(job.outputs.at(-1).data).toMatchObject({ model: 'tiny-sd-fp16', provider: 'cpu' });
    expect(await sharp(png).metadata()).toMatchObject({ width: 64, height: 64, format: 'png' });
    expect(readPngText(png).parameters).toContain('Model: tiny-sd-fp16');
    const source = await user.client.upload('/v1/images', await gradientPng(64, 64));
    const img2img = await run('img2img', 'tiny-sd-fp16', { ...small, imageId: source.body.id, strength: 0.7 });
    expect(img2img.job.outputs[0]).toMatchObject({ width: 64, height: 64 });
  });

  it('runs DPM++ 2M, DPM++ 2M SDE and UniPC on their sigma schedules, and refuses a schedule DDIM cannot take', async () => {
    await asNewUser('samplers');
    const cases = [
      ['dpmpp-2m', 'karras'],
      ['dpmpp-2m-sde', 'exponential'],
      ['unipc', 'simple'],
      ['unipc-bh2', 'normal'],
    ] as const;
    const pngs: Buffer[] = [];
    for (const [scheduler, sigmaSchedule] of cases) {
      const { png } = await run('txt2img', 'tiny-sd', { ...small, scheduler, sigmaSchedule });
      const atelier = JSON.parse(readPngText(png).atelier);
      expect(atelier, scheduler).toMatchObject({ scheduler, sigmaSchedule });
      pngs.push(png);
    }
    expect(readPngText(pngs[0]).parameters).toContain('Sampler: dpmpp-2m, Schedule type: karras, CFG scale: 5');
    expect(new Set(pngs.map((p) => p.toString('base64'))).size).toBe(cases.length);
    const refused = await user.client.post('/v1/jobs', { type: 'txt2img', model: 'tiny-sd', input: { ...small, scheduler: 'ddim', sigmaSchedule: 'karras' } });
    expect(refused).toMatchObject({ status: 422, body: { code: 'INVALID_JOB' } });
    expect(JSON.stringify(refused.body.details)).toContain('must be normal with scheduler ddim');
  });

  it('runs SD 2.x v-prediction (tiny-sd2-v) and inpaints with an uploaded mask, on a 9-channel UNet and a 4-channel one', async () => {
    await asNewUser('layouts');
    const v = await run('txt2img', 'tiny-sd2-v', small);
    expect(v.job.outputs.at(-1).data).toMatchObject({ model: 'tiny-sd2-v' });
    const source = await user.client.upload('/v1/images', await gradientPng(64, 64));
    // White on the right half: repaint it, keep the left.
    const white = Buffer.from(Array.from({ length: 64 * 64 }, (_, p) => (p % 64 >= 32 ? 255 : 0)));
    const mask = await user.client.upload('/v1/images', await sharp(white, { raw: { width: 64, height: 64, channels: 1 } }).png().toBuffer());
    expect(mask.status).toBe(201);
    const input = { ...small, imageId: source.body.id, maskImageId: mask.body.id, strength: 1 };
    for (const model of ['tiny-sd-inpaint', 'tiny-sd']) {
      const inpainted = await run('img2img', model, input);
      expect(inpainted.job.input.maskImageId).toBe(mask.body.id);
      const plain = await run('img2img', model, { ...input, maskImageId: undefined });
      expect(inpainted.png.equals(plain.png), model).toBe(false);
    }
    const missing = await user.client.post('/v1/jobs', { type: 'img2img', model: 'tiny-sd', input: { ...input, maskImageId: '0190a0b0-0000-7000-8000-000000000000' } });
    expect(missing).toMatchObject({ status: 422, body: { code: 'IMAGE_NOT_FOUND', details: { field: 'maskImageId' } } });
  });

  it('merges a LoRA (tiny-lora, kohya layout) at load, a cache entry per combination; weight 0 gives the image without it', async () => {
    await asNewUser('lora');
    const none = await run('txt2img', 'tiny-sd', small);
    const zero = await run('txt2img', 'tiny-sd', { ...small, loras: [{ id: 'tiny-lora', weight: 0 }] });
    const full = await run('txt2img', 'tiny-sd', { ...small, loras: [{ id: 'tiny-lora', weight: 1 }] });
    const half = await run('txt2img', 'tiny-sd', { ...small, loras: [{ id: 'tiny-lora', weight: 0.5 }] });
    // The pixels, bit for bit (the PNG's text chunks record the request, LoRA included).
    const pixels = (png: Buffer) => sharp(png).raw().toBuffer();
    expect((await pixels(zero.png)).equals(await pixels(none.png))).toBe(true);
    expect((await pixels(full.png)).equals(await pixels(none.png))).toBe(false);
    expect((await pixels(half.png)).equals(await pixels(full.png))).toBe(false);
    expect(JSON.parse(readPngText(full.png).atelier).loras).toEqual([{ id: 'tiny-lora', weight: 1 }]);
    const unknown = await user.client.post('/v1/jobs', { type: 'txt2img', model: 'tiny-sd', input: { ...small, loras: [{ id: 'no-such-lora', weight: 1 }] } });
    await socket.waitFor(unknown.body.id, 'job.failed');
    expect((await user.client.get(`/v1/jobs/${unknown.body.id}`)).body).toMatchObject({ status: 'failed', error: { code: 'UNKNOWN_MODEL' } });
  });
});
