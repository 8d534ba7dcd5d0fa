import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppProcess } from './support/app-process';
import { freePort, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { facePhoto } from './support/face-photo';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

/**
 * The thin slice, for real: register → upload → submit → a separate worker process runs
 * it → events over Socket.IO through Redis → the job and its output over REST.
 */
describe('walking skeleton: one job from API to worker to Socket.IO', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let alice: Awaited<ReturnType<typeof registerUser>>;
  let bob: Awaited<ReturnType<typeof registerUser>>;
  let aliceSocket: SocketRecorder;
  let bobSocket: SocketRecorder;
  let workerMetricsPort: number;

  beforeAll(async () => {
    await environment.create();
    workerMetricsPort = await freePort();
    const system = await startSystem(environment.env({ WORKER_METRICS_PORT: String(workerMetricsPort) }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
    alice = await registerUser(http, 'alice');
    bob = await registerUser(http, 'bob');
    aliceSocket = await SocketRecorder.connect(http.baseUrl, alice.token);
    bobSocket = await SocketRecorder.connect(http.baseUrl, bob.token);
  });

  afterAll(async () => {
    aliceSocket?.close();
    bobSocket?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('refuses a socket without a valid token', async () => {
    await expect(SocketRecorder.connect(http.baseUrl, 'not-a-token')).rejects.toThrow(/UNAUTHENTICATED/);
  });

  it('logs in with the registered password and refuses a wrong one', async () => {
    const me = await alice.client.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: alice.userId, role: 'user', plan: 'free', credits: { balance: 200, reserved: 0 } });
    expect(JSON.stringify(me.body)).not.toMatch(/password|hash/i);
    const good = await http.post('/v1/auth/login', { email: me.body.email, password: 'correct horse battery' });
    expect(good.status).toBe(200);
    expect(good.body.user.id).toBe(alice.userId);
    const bad = await http.post('/v1/auth/login', { email: me.body.email, password: 'wrong password!' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS' });
  });

  it('uploads an image and returns the same bytes', async () => {
    const png = await gradientPng(64, 48);
    const upload = await alice.client.upload('/v1/images', png);
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ width: 64, height: 48, format: 'png', bytes: png.length });
    const content = await alice.client.bytes(`/v1/images/${upload.body.id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(content.bytes.equals(png)).toBe(true);
    expect((await bob.client.get(`/v1/images/${upload.body.id}`)).status).toBe(404);
  });

  it('refuses a file that is not an image, whatever its name says', async () => {
    const upload = await alice.client.upload('/v1/images', Buffer.from('hello, not a png'), 'fake.png', 'image/png');
    expect(upload.status).toBe(415);
    expect(upload.body.code).toBe('UNSUPPORTED_IMAGE');
  });

  it('runs a resize job in the worker and reports it only to its owner', async () => {
    const source = await alice.client.upload('/v1/images', await gradientPng(64, 48));
    const submit = await alice.client.post('/v1/jobs', { type: 'resize', input: { imageId: source.body.id, width: 32, height: 24 } });
    expect(submit.status).toBe(202);
    expect(submit.body).toMatchObject({ type: 'resize', status: 'queued', links: { self: `/v1/jobs/${submit.body.id}` } });
    expect(submit.body.queuePosition).toBeGreaterThanOrEqual(0);
    const jobId: string = submit.body.id;

    // The row is in Postgres and the job went through Bull on Redis.
    const [row] = await environment.query('SELECT owner_id, type, lane FROM jobs WHERE id = $1', [jobId]);
    expect(row).toMatchObject({ owner_id: alice.userId, type: 'resize', lane: 'cpu' });
    const redis = environment.redis();
    const bullJob = await redis.hgetall(`${environment.redisPrefix}bull:cpu:${jobId}`);
    redis.disconnect();
    expect(JSON.parse(bullJob.data)).toEqual({ jobId, ownerId: alice.userId });

    const succeeded = await aliceSocket.waitFor(jobId, 'job.succeeded');
    const names = aliceSocket.eventsOf(jobId).map((e) => e.event);
    expect(names).toEqual(expect.arrayContaining(['job.queued', 'job.started', 'job.progress', 'job.succeeded']));
    expect(names.indexOf('job.started')).toBeLessThan(names.indexOf('job.succeeded'));

    const job = await alice.client.get(`/v1/jobs/${jobId}`);
    expect(job.body).toMatchObject({ status: 'succeeded', attempts: 1, progress: { percent: 100 } });
    expect(job.body.outputs).toEqual((succeeded.payload as { outputs: unknown }).outputs);
    const [output] = job.body.outputs;
    expect(output).toMatchObject({ width: 32, height: 24 });
    const download = await alice.client.bytes(output.url);
    expect(download.status).toBe(200);
    expect(await sharp(download.bytes).metadata()).toMatchObject({ width: 32, height: 24, format: 'png' });

    // The signed URL works without credentials (an <img> tag); tampered or expired, it does not.
    expect(output.url).toMatch(/^\/v1\/images\/[0-9a-f-]{36}\/content\?expires=\d+&sig=[\w-]+$/);
    expect((await fetch(http.baseUrl + output.url)).status).toBe(200);
    expect((await fetch(http.baseUrl + output.url.replace(/sig=./, 'sig=x'))).status).toBe(403);
    expect((await fetch(http.baseUrl + output.url.replace(/expires=\d+/, 'expires=1000'))).status).toBe(403);

    // Bob sees nothing of it: no events, 404 on the job and on its output without a signature.
    // His own job's events travel the same path (worker → Redis → API → socket) after Alice's: once they are in, any of hers would be.
    const bobSource = await bob.client.upload('/v1/images', await gradientPng(16, 12));
    const bobJob = await bob.client.post('/v1/jobs', { type: 'resize', input: { imageId: bobSource.body.id, width: 8 } });
    expect(bobJob.status).toBe(202);
    await bobSocket.waitFor(bobJob.body.id, 'job.succeeded');
    expect(bobSocket.eventsOf(jobId)).toEqual([]);
    expect(new Set(bobSocket.events.map((e) => e.payload.jobId))).toEqual(new Set([bobJob.body.id]));
    expect((await bob.client.get(`/v1/jobs/${jobId}`)).status).toBe(404);
    expect((await bob.client.bytes(`/v1/images/${output.imageId}/content`)).status).toBe(404);

    // A client that reconnects gets the snapshot on subscribe; Bob gets nothing.
    const ack = await aliceSocket.emitWithAck<{ ok: boolean; job: { status: string } }>('subscribe', { jobId });
    expect(ack).toMatchObject({ ok: true, job: { status: 'succeeded' } });
    expect(await bobSocket.emitWithAck('subscribe', { jobId })).toMatchObject({ ok: false });
  });

  it('detects faces with BlazeFace on onnxruntime-node in the worker', async () => {
    const photo = await facePhoto();
    const source = await alice.client.upload('/v1/images', photo.bytes, 'faces.jpg', 'image/jpeg');
    expect(source.status).toBe(201);
    const submit = await alice.client.post('/v1/jobs', { type: 'detect-faces', input: { imageId: source.body.id } });
    expect(submit.status).toBe(202);
    await aliceSocket.waitFor(submit.body.id, 'job.succeeded');
    const job = await alice.client.get(`/v1/jobs/${submit.body.id}`);
    expect(job.body.status).toBe('succeeded');
    const [output] = job.body.outputs;
    expect(output.kind).toBe('json');
    const faces: Array<{ box: { x: number; y: number; width: number; height: number }; score: number }> = output.data.faces;
    expect(faces.length).toBeGreaterThanOrEqual(photo.minFaces);
    for (const face of faces) {
      expect(face.score).toBeGreaterThan(0.5);
      expect(face.box.x).toBeGreaterThanOrEqual(0);
      expect(face.box.x + face.box.width).toBeLessThanOrEqual(source.body.width + 1);
      expect(face.box.y + face.box.height).toBeLessThanOrEqual(source.body.height + 1);
    }
  });

  it('is ready with a live worker, and lists the face model as hot on the CPU after use', async () => {
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: { postgres: { status: 'up' }, redis: { status: 'up' }, workers: { status: 'up', live: 1, available: true } } });
    type ModelView = { id: string; state: string; provider: string | null; pipeline: string; sizeBytes: number };
    let face: ModelView | undefined;
    // The API learns of the load from the worker's next heartbeat (every 5 s).
    await waitFor(
      async () => {
        face = ((await alice.client.get('/v1/models')).body as ModelView[]).find((m) => m.id === 'blazeface-front');
        return face?.state === 'hot';
      },
      { timeoutMs: 15_000, intervalMs: 250, what: () => `blazeface-front to be listed hot (last seen: ${JSON.stringify(face)})` },
    );
    expect(face).toMatchObject({ state: 'hot', provider: 'cpu', pipeline: 'detect-faces' });
    expect(face!.sizeBytes).toBeGreaterThan(100_000);
  });

  it("exposes the worker's own metrics: job outcomes and the model cache", async () => {
    const response = await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/atelier_worker_jobs_total\{type="detect-faces",outcome="succeeded",code=""\} [1-9]/);
    expect(text).toMatch(/atelier_worker_model_cache_events_total\{model="blazeface-front",event="loads"\} 1\b/);
    expect(text).toMatch(/atelier_worker_model_load_milliseconds\{model="blazeface-front"\} \d+/);
    expect(text).toMatch(/atelier_worker_model_tier\{model="blazeface-front"\} 2/);
  });

  it('exposes Prometheus metrics for requests, jobs and queues', async () => {
    const metrics = await http.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/atelier_http_requests_total\{method="POST",route="\/v1\/jobs",status="202"\} \d+/);
    expect(metrics.body).toMatch(/atelier_jobs\{type="resize",status="succeeded"\} [1-9]/);
    expect(metrics.body).toMatch(/atelier_queue_jobs\{lane="cpu",state="waiting"\} \d+/);
  });

  it('detects straight lines with M-LSD and returns segments plus a line map', async () => {
    const drawing = await sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="white"/><line x1="20" y1="40" x2="300" y2="40" stroke="black" stroke-width="4"/></svg>')).png().toBuffer();
    const source = await alice.client.upload('/v1/images', drawing);
    const submit = await alice.client.post('/v1/jobs', { type: 'detect-lines', input: { imageId: source.body.id } });
    await aliceSocket.waitFor(submit.body.id, 'job.succeeded');
    const [lines, map] = (await alice.client.get(`/v1/jobs/${submit.body.id}`)).body.outputs;
    expect(lines.kind).toBe('json');
    expect(lines.data.segments.some((s: { y1: number; y2: number; x1: number; x2: number }) => Math.abs(s.y1 - 40) < 8 && Math.abs(s.x2 - s.x1) > 200)).toBe(true);
    expect(map).toMatchObject({ width: 320, height: 240 });
  });

  it('reads text with PaddleOCR and returns it with line boxes', async () => {
    const line = (y: number, text: string) => `<text x="30" y="${y}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="40" fill="black">${text}</text>`;
    const page = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="180"><rect width="640" height="180" fill="white"/>${line(70, 'HELLO WORLD 2026')}${line(145, 'Atelier OCR test')}</svg>`)).png().toBuffer();
    const source = await alice.client.upload('/v1/images', page);
    const submit = await alice.client.post('/v1/jobs', { type: 'ocr', input: { imageId: source.body.id } });
    await aliceSocket.waitFor(submit.body.id, 'job.succeeded');
    const [result] = (await alice.client.get(`/v1/jobs/${submit.body.id}`)).body.outputs;
    expect(result.kind).toBe('json');
    const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();
    expect(result.data.lines.map((l: { text: string }) => squash(l.text))).toEqual(['helloworld2026', 'atelierocrtest']);
    expect(result.data.text).toBe(result.data.lines.map((l: { text: string }) => l.text).join('\n'));
    expect(result.data.lines[0]).toMatchObject({ confidence: expect.any(Number), box: [expect.any(Array), expect.any(Array), expect.any(Array), expect.any(Array)] });
  });

  it('upscales ×2 with Lanczos when asked and says which method ran', async () => {
    const source = await alice.client.upload('/v1/images', await gradientPng(40, 30));
    const submit = await alice.client.post('/v1/jobs', { type: 'upscale', input: { imageId: source.body.id, scale: 2, method: 'lanczos' } });
    expect(submit.status).toBe(202);
    await aliceSocket.waitFor(submit.body.id, 'job.succeeded');
    const job = (await alice.client.get(`/v1/jobs/${submit.body.id}`)).body;
    expect(job.outputs[0]).toMatchObject({ width: 80, height: 60 });
    expect(job.outputs[1]).toEqual({ kind: 'json', data: { method: 'lanczos3', scale: 2 } });
  });

  it('answers 422 with the fields at fault for an invalid job', async () => {
    const result = await alice.client.post('/v1/jobs', { type: 'resize', input: { imageId: 'nope', width: -3 } });
    expect(result.status).toBe(422);
    expect(result.body.code).toBe('INVALID_JOB');
    expect(result.body.details.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['imageId', 'width']));
  });
});
