import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import sharp from 'sharp';
import { afterAll, expect, it } from 'vitest';
import { ContentModerator, createInferenceSession, createModelCache, ModelRegistry, SuperResolution } from '@atelier/inference';
import { type AppProcess, startSystem } from '../test/support/app-process';
import { facePhoto } from '../test/support/face-photo';
import { HttpClient, registerUser } from '../test/support/http-client';
import { SocketRecorder } from '../test/support/socket-recorder';
import { TestEnvironment } from '../test/support/test-environment';
import { writeSection } from './support/results';
import { percentile, round } from './support/stats';

/**
 * P9: the models converted from TF.js at models:prepare: load time and CPU run time of each at
 * its input size, super-resolution fidelity (PSNR) on real photo crops against bicubic, and
 * whole-system `moderate` jobs/s against raw `session.run`/s of its network in the same run.
 */
const ADMIN = { email: 'bench@example.test', password: 'bench admin password' };
const manifestsDir = join(process.cwd(), 'models');
const modelsDir = process.env.TEST_MODELS_DIR ?? join(process.cwd(), '.data', 'models'); // prepared by the global setup
const registry = new ModelRegistry({ manifestsDir, modelsDir });
const quiet = { log: () => undefined, warn: () => undefined };
Logger.overrideLogger(['error']);

interface Network {
  id: string;
  layout: 'NCHW' | 'NHWC';
  size: number;
  runs: number;
}
const NETWORKS: Network[] = [
  { id: 'esrgan-gans-x4', layout: 'NCHW', size: 48, runs: 10 },
  { id: 'esrgan-gans-x4', layout: 'NCHW', size: 192, runs: 3 },
  { id: 'esrgan-psnr-x2', layout: 'NCHW', size: 48, runs: 10 },
  { id: 'esrgan-psnr-x3', layout: 'NCHW', size: 48, runs: 10 },
  { id: 'esrgan-psnr-x4', layout: 'NCHW', size: 48, runs: 10 },
  { id: 'nsfw-mobilenet-v2', layout: 'NHWC', size: 224, runs: 30 },
  { id: 'mediapipe-selfie', layout: 'NHWC', size: 256, runs: 30 },
];

const environment = new TestEnvironment();
let system: { api: AppProcess; worker: AppProcess; baseUrl: string } | undefined;
afterAll(async () => {
  await Promise.all([system?.api.stop(), system?.worker.stop()]);
  await environment.destroy();
});

const psnr = (a: Buffer, b: Buffer): number => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return 10 * Math.log10(255 ** 2 / (sum / a.length));
};

/** Load (session create) and steady run times of one network on seeded pixels of a real photo. */
async function measure(net: Network, photo: Buffer) {
  const rgb = await sharp(photo).resize(net.size, net.size, { fit: 'cover' }).removeAlpha().raw().toBuffer();
  const plane = net.size * net.size;
  const data = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) data[net.layout === 'NCHW' ? c * plane + i : i * 3 + c] = rgb[i * 3 + c] / 255;
  const dims = net.layout === 'NCHW' ? [1, 3, net.size, net.size] : [1, net.size, net.size, 3];
  const path = registry.filePath(net.id, 'model.onnx');
  const loads: number[] = [];
  let session: Awaited<ReturnType<typeof createInferenceSession>>['session'] | undefined;
  for (let i = 0; i < 3; i++) {
    await session?.release();
    const started = performance.now();
    session = (await createInferenceSession(path, ['cpu'], quiet)).session;
    loads.push(performance.now() - started);
  }
  // The bench may not import onnxruntime-node (a dependency rule): a tensor-shaped object, read by the binding as a Tensor is.
  type Feeds = Parameters<NonNullable<typeof session>['run']>[0];
  const feeds: Feeds = { [session!.inputNames[0]]: { type: 'float32', dims, data, location: 'cpu' } as unknown as Feeds[string] };
  const first = performance.now();
  await session!.run(feeds);
  const firstRun = performance.now() - first;
  const runs: number[] = [];
  for (let i = 0; i < net.runs; i++) {
    const started = performance.now();
    await session!.run(feeds);
    runs.push(performance.now() - started);
  }
  await session!.release();
  return { load: percentile(loads, 50), firstRun, run: percentile(runs, 50), perSecond: 1000 / percentile(runs, 50) };
}

it('P9 vision models: load, run, fidelity, and whole-system moderate jobs/s', async () => {
  const photo = (await facePhoto()).bytes;
  const rows: string[] = [];
  const rawPerSecond: Record<string, number> = {};
  for (const net of NETWORKS) {
    const m = await measure(net, photo);
    rawPerSecond[`${net.id}@${net.size}`] = m.perSecond;
    const manifest = registry.get(net.id);
    rows.push(`| \`${net.id}\` | ${round(manifest.files[0].sizeBytes / 2 ** 20, 1)} MB | ${net.layout === 'NCHW' ? `[1,3,${net.size},${net.size}]` : `[1,${net.size},${net.size},3]`} | ${round(m.load, 0)} ms | ${round(m.firstRun, 0)} ms | ${round(m.run, 1)} ms | ${round(m.perSecond, 2)} |`);
  }

  // Fidelity: 192² crops of face-api's sample1.jpg, bicubic-downscaled ×4 (×2, ×3 for those models) and brought back.
  const cache = createModelCache(registry, { modelsDir, executionProviders: ['cpu'] });
  const sr = new SuperResolution(registry, cache, { modelsDir, manifestsDir, executionProviders: ['cpu'], upscaleModel: 'esrgan-gans-x4' });
  const crops = [[400, 330], [1450, 200], [1440, 560], [820, 480]];
  const fidelity: string[] = [];
  for (const [model, s] of [['esrgan-gans-x4', 4], ['esrgan-psnr-x4', 4], ['esrgan-psnr-x3', 3], ['esrgan-psnr-x2', 2]] as const) {
    const ours: number[] = [];
    const bicubic: number[] = [];
    for (const [left, top] of crops) {
      const size = 48 * s;
      const original = await sharp(photo).extract({ left, top, width: size, height: size }).removeAlpha().raw().toBuffer();
      const raw = { raw: { width: size, height: size, channels: 3 as const } };
      const small = await sharp(original, raw).resize(48, 48, { kernel: 'cubic' }).png().toBuffer();
      bicubic.push(psnr(original, await sharp(small).resize(size, size, { kernel: 'cubic' }).removeAlpha().raw().toBuffer()));
      ours.push(psnr(original, await sharp((await sr.upscale(small, s, model)).png).removeAlpha().raw().toBuffer()));
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    fidelity.push(`| \`${model}\` | ×${s} | ${ours.map((v) => round(v, 2)).join(' / ')} | ${bicubic.map((v) => round(v, 2)).join(' / ')} | ${round(mean(ours) - mean(bicubic), 2)} dB |`);
  }
  const moderator = new ContentModerator(cache);
  const photo640 = await sharp(photo).resize(640, 640, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer();
  await moderator.classify(photo640);
  const classifyMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await moderator.classify(photo640);
    classifyMs.push(performance.now() - started);
  }
  await cache.close();

  await environment.create();
  system = await startSystem(environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn', ORT_EXECUTION_PROVIDERS: 'cpu', MODEL_PRELOAD: 'nsfw-mobilenet-v2' }));
  const http = new HttpClient(system.baseUrl);
  const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
  await admin.put('/v1/admin/plans/premium', { ratePerMinute: 1_000_000, maxConcurrentJobs: 1_000_000 });
  const user = await registerUser(http, 'p9');
  expect((await admin.put(`/v1/admin/users/${user.userId}/plan`, { plan: 'premium' })).status).toBeLessThan(300);
  expect((await admin.post(`/v1/admin/users/${user.userId}/credits`, { amount: 1_000_000, reason: 'benchmark' })).status).toBeLessThan(300);
  const socket = await SocketRecorder.connect(http.baseUrl, user.token);
  const imageId = (await user.client.upload('/v1/images', photo640, 'photo.jpg', 'image/jpeg')).body.id as string;
  const body = { type: 'moderate', input: { imageId } };
  const runJob = async () => {
    const submitted = await user.client.post('/v1/jobs', body);
    await socket.waitFor(submitted.body.id, 'job.succeeded');
  };
  for (let i = 0; i < 3; i++) await runJob(); // warm-up
  const JOBS = 40;
  const IN_FLIGHT = 4;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => { while (next++ < JOBS) await runJob(); }));
  const jobsPerSecond = JOBS / ((performance.now() - started) / 1000);
  socket.close();
  const raw = rawPerSecond['nsfw-mobilenet-v2@224'];
  const pipeline = 1000 / percentile(classifyMs, 50);

  writeSection(
    'P9 inference: the models converted from TF.js',
    `Each model's ONNX file as \`models:prepare\` converts it (weights dequantized to float32), run by onnxruntime-node on the CPU provider in the bench process with the session defaults. Load = \`InferenceSession.create\` from the file (median of 3); first run and the median of the following runs on a real photo resized to the input size.

| model | file | input | load | first run | run (median) | runs/s |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Super-resolution fidelity: four 48·s-pixel square crops of face-api's \`sample1.jpg\` (faces, hair, a badge), downscaled ×s with sharp's bicubic, then upscaled by the model through \`SuperResolution\` (one tile) and by sharp's bicubic; PSNR over RGB against the crop.

| model | scale | PSNR model (4 crops, dB) | PSNR bicubic (dB) | mean gain |
|---|---|---|---|---|
${fidelity.join('\n')}

Whole system: a real API and worker (built \`dist/\`, \`WORKER_GPU_CONCURRENCY=1\`, \`MODEL_PRELOAD=nsfw-mobilenet-v2\`), one premium user, one uploaded 640×640 JPEG photo, ${JOBS} \`moderate\` jobs with ${IN_FLIGHT} in flight after 3 warm-up jobs: **${round(jobsPerSecond, 2)} jobs/s**, against ${round(raw, 2)} raw \`session.run\`/s of the network at [1,224,224,3] (**${round(jobsPerSecond / raw, 2)}×**) and ${round(pipeline, 2)} in-process \`ContentModerator.classify\`/s (decode, resize, run) on the same JPEG (${round(jobsPerSecond / pipeline, 2)}×).

Run: \`npm run bench:vision\`.`,
  );
});
