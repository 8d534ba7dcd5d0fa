import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputJsonSchema, JOB_TYPE_BY_NAME } from '@atelier/jobs';
import { AppProcess, freePort, startSystem } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

const ADMIN = { email: 'openai-admin@example.test', password: 'openai admin password' };
/** Atelier's own fields ride along as extra body fields, as SDK callers pass them: a few steps keep each job fast. */
const FEW_STEPS: Record<string, number> = { steps: 3 };
const GENTLE_EDIT: Record<string, number> = { ...FEW_STEPS, strength: 0.5 };

interface Caller {
  http: HttpClient;
  openai: OpenAI;
}

async function caller(http: HttpClient, label: string): Promise<Caller> {
  const user = await registerUser(http, label);
  const key = await user.client.post('/v1/api-keys', { name: 'openai sdk' });
  expect(key.status).toBe(201);
  return { http: user.client, openai: new OpenAI({ apiKey: key.body.key, baseURL: `${http.baseUrl}/openai/v1` }) };
}

/** The error an SDK call rejects with. */
async function rejection(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

const imageIdOf = (url: string) => /\/v1\/images\/([0-9a-f-]{36})\/content\?/.exec(url)?.[1];
const jobsOf = async (who: Caller) => (await who.http.get('/v1/jobs?limit=100')).body.items as Array<{ id: string; type: string; status: string; input: Record<string, unknown> }>;

/** The `openai` npm package against the real API and worker, changing only baseURL and the key. */
describe('the OpenAI Images-compatible surface, driven by the openai SDK', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }));
    ({ api, worker } = system);
    http = new HttpClient(system.baseUrl);
    // More submits than the free plan's 10 a minute: this file tests the adapter, not the limiter.
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    expect((await admin.put('/v1/admin/plans/free', { ratePerMinute: 1000 })).status).toBe(200);
    [alice, bob] = await Promise.all([caller(http, 'alice'), caller(http, 'bob')]);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('generates a PNG of the requested size as b64_json, through the one job path', async () => {
    const before = Date.now() / 1000;
    const result = await alice.openai.images.generate({ prompt: 'a lighthouse in a storm', size: '96x64', response_format: 'b64_json', ...FEW_STEPS });
    expect(result.data).toHaveLength(1);
    const [image] = result.data!;
    expect(image.url).toBeUndefined();
    expect(image.revised_prompt).toBe('a lighthouse in a storm');
    expect(result.created).toBeGreaterThanOrEqual(Math.floor(before));
    const png = Buffer.from(image.b64_json!, 'base64');
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 96, height: 64 });

    // It is a job like any other: the default model, the accepted input, the caller's.
    const [job] = await jobsOf(alice);
    expect(job).toMatchObject({ type: 'txt2img', status: 'succeeded', input: { prompt: 'a lighthouse in a storm', width: 96, height: 64, steps: 3, batch: 1 } });

    // gpt-image names mean the default model and answer base64; output_format converts.
    const webp = await alice.openai.images.generate({ prompt: 'a quiet harbour', model: 'gpt-image-1', size: '64x64', output_format: 'webp', ...FEW_STEPS });
    expect(await sharp(Buffer.from(webp.data![0].b64_json!, 'base64')).metadata()).toMatchObject({ format: 'webp', width: 64, height: 64 });
  });

  it('answers n images as absolute signed URLs that work without credentials, for their owner only', async () => {
    const result = await alice.openai.images.generate({ prompt: 'two foxes', n: 2, size: '64x64', model: 'dall-e-3', response_format: 'url', ...FEW_STEPS });
    const urls = result.data!.map((d) => d.url!);
    expect(urls).toHaveLength(2);
    const images = await Promise.all(
      urls.map(async (url) => {
        expect(url.startsWith(`${http.baseUrl}/v1/images/`)).toBe(true);
        const response = await fetch(url);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/png');
        return Buffer.from(await response.arrayBuffer());
      }),
    );
    for (const png of images) expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 64, height: 64 });
    // One batch, two seeds: two different images.
    expect(images[0].equals(images[1])).toBe(false);

    // Neither user sees the other's images: the signed URL is a grant for that image alone.
    const aliceImage = imageIdOf(urls[0])!;
    expect((await alice.http.get(`/v1/images/${aliceImage}`)).status).toBe(200);
    expect((await bob.http.get(`/v1/images/${aliceImage}`)).status).toBe(404);
    expect((await bob.http.bytes(`/v1/images/${aliceImage}/content`)).status).toBe(404);
    const bobs = await bob.openai.images.generate({ prompt: 'a badger', size: '64x64', ...FEW_STEPS });
    const bobImage = imageIdOf(bobs.data![0].url!)!;
    expect((await alice.http.get(`/v1/images/${bobImage}`)).status).toBe(404);
    expect((await jobsOf(bob)).map((j) => j.input.prompt)).toEqual(['a badger']);
  });

  it('replays an Idempotency-Key: the same job, not a second one', async () => {
    const jobsBefore = (await jobsOf(alice)).length;
    const request = { prompt: 'a bell tower', size: '64x64', response_format: 'b64_json' as const, ...FEW_STEPS };
    const options = { headers: { 'Idempotency-Key': 'openai-replay-1' } };
    const first = await alice.openai.images.generate(request, options);
    const again = await alice.openai.images.generate(request, options);
    expect(again).toEqual(first);
    expect((await jobsOf(alice)).length).toBe(jobsBefore + 1);
  });

  it('edits an uploaded PNG with img2img, storing it once as the caller\'s upload', async () => {
    const source = await gradientPng(96, 80);
    const edit = (image: Parameters<OpenAI['images']['edit']>[0]['image'], extra: Record<string, unknown> = {}) =>
      alice.openai.images.edit({ image, prompt: 'an oil painting', response_format: 'b64_json', ...GENTLE_EDIT, ...extra });

    // No size: the image's own.
    const kept = await edit(await toFile(source, 'source.png', { type: 'image/png' }));
    expect(await sharp(Buffer.from(kept.data![0].b64_json!, 'base64')).metadata()).toMatchObject({ format: 'png', width: 96, height: 80 });
    // The array form (image[]) and a size.
    const sized = await edit([await toFile(source, 'source.png', { type: 'image/png' })], { size: '64x64' });
    expect(await sharp(Buffer.from(sized.data![0].b64_json!, 'base64')).metadata()).toMatchObject({ width: 64, height: 64 });

    const edits = (await jobsOf(alice)).filter((j) => j.type === 'img2img');
    expect(edits.map((j) => j.status)).toEqual(['succeeded', 'succeeded']);
    expect(edits[0].input).toMatchObject({ prompt: 'an oil painting', strength: 0.5, width: 64, height: 64 });
    // The same bytes again name the same upload, so a retry replays rather than piling up copies.
    expect(edits[0].input.imageId).toBe(edits[1].input.imageId);
    const upload = await alice.http.get(`/v1/images/${edits[0].input.imageId}`);
    expect(upload.body).toMatchObject({ width: 96, height: 80, format: 'png' });
    expect(upload.body.jobId).toBeUndefined();

    const two = await rejection(edit([await toFile(source, 'a.png', { type: 'image/png' }), await toFile(await gradientPng(64, 64), 'b.png', { type: 'image/png' })]));
    expect(two).toBeInstanceOf(OpenAI.BadRequestError);
    expect(two).toMatchObject({ status: 400, code: 'TOO_MANY_IMAGES', param: 'image' });
    const none = await rejection(alice.openai.images.edit({ prompt: 'x' } as Parameters<OpenAI['images']['edit']>[0]));
    expect(none).toMatchObject({ status: 400, code: 'FILE_MISSING', param: 'image' });
  });

  it('takes a mask once img2img has maskImageId, and until then says masks are not supported', async () => {
    const image = await toFile(await gradientPng(64, 64), 'source.png', { type: 'image/png' });
    const mask = await toFile(await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer(), 'mask.png', { type: 'image/png' });
    const call = alice.openai.images.edit({ image, mask, prompt: 'a window', ...FEW_STEPS });
    const takesMask = 'maskImageId' in ((inputJsonSchema(JOB_TYPE_BY_NAME.img2img).properties ?? {}) as object);
    if (takesMask) {
      expect((await call).data).toHaveLength(1);
      const [job] = await jobsOf(alice);
      expect(job.input.maskImageId).toEqual(expect.any(String));
    } else {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, code: 'MASK_NOT_SUPPORTED', param: 'mask', type: 'invalid_request_error' });
      expect(error.message).toMatch(/masks/);
    }
  });

  it('surfaces bad input, bad keys and missing credits as the SDK\'s typed errors with Atelier\'s codes', async () => {
    const jobsBefore = (await jobsOf(alice)).length;
    const badSize = await rejection(alice.openai.images.generate({ prompt: 'x', size: '100x100' }));
    expect(badSize).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badSize).toMatchObject({ status: 400, code: 'INVALID_SIZE', param: 'size', type: 'invalid_request_error' });
    expect(badSize.message).toMatch(/multiple of 8/);

    const tooMany = await rejection(alice.openai.images.generate({ prompt: 'x', n: 3, size: '64x64' }));
    expect(tooMany).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect(tooMany).toMatchObject({ code: 'BATCH_OVER_PLAN', param: 'n' });
    const unknownModel = await rejection(alice.openai.images.generate({ prompt: 'x', model: 'sd-9000' }));
    expect(unknownModel).toMatchObject({ status: 422, code: 'UNKNOWN_MODEL', param: 'model' });

    const stranger = new OpenAI({ apiKey: 'atl_not-a-real-key', baseURL: `${http.baseUrl}/openai/v1` });
    const unauthenticated = await rejection(stranger.images.generate({ prompt: 'x' }));
    expect(unauthenticated).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthenticated).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', type: 'authentication_error' });

    const expensive = await rejection(alice.openai.images.generate({ prompt: 'a castle', size: '1024x1024', n: 2, steps: 150 } as OpenAI.ImageGenerateParamsNonStreaming));
    expect(expensive.status).toBe(402);
    expect(expensive).toMatchObject({ code: 'INSUFFICIENT_CREDITS', type: 'insufficient_quota', param: null });
    expect(expensive.message).toMatch(/600 credits/);
    // A body the JSON parser refuses, before any route runs, is answered in OpenAI's shape too.
    const malformed = await fetch(`${http.baseUrl}/openai/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.openai.apiKey}`, 'content-type': 'application/json' },
      body: '{"prompt":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'BAD_REQUEST' } });
    // Refused requests made no job.
    expect((await jobsOf(alice)).length).toBe(jobsBefore);
  });

  it('lists the image models of the catalog, for an API key or a session token', async () => {
    const models = await alice.openai.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['pattern-cppn', 'tiny-sd']));
    expect(ids).not.toContain('tiny-sr');
    expect(ids).not.toContain('blazeface-front');
    for (const model of models.data) expect(model).toEqual({ id: expect.any(String), object: 'model', created: expect.any(Number), owned_by: 'atelier' });

    const session = await registerUser(http, 'jwt-user');
    const withJwt = new OpenAI({ apiKey: session.token, baseURL: `${http.baseUrl}/openai/v1` });
    expect((await withJwt.models.list()).data.map((m) => m.id)).toEqual(ids);
  });
});

/** An API with no worker: jobs stay queued, so the wait's time limit and a cancel are seen for sure. */
describe('the OpenAI surface when the job does not end in time', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let who: Caller;

  beforeAll(async () => {
    await environment.create();
    const port = await freePort();
    api = AppProcess.start('api', { ...environment.env({ LOG_LEVEL: 'warn', OPENAI_WAIT_SECONDS: '6' }), PORT: String(port) });
    const baseUrl = `http://127.0.0.1:${port}`;
    await api.waitUntil(async () => (await fetch(`${baseUrl}/health/live`)).ok);
    who = await caller(new HttpClient(baseUrl), 'patient');
  });

  afterAll(async () => {
    await api?.stop();
    await environment.destroy();
  });

  it('answers 504 JOB_WAIT_TIMEOUT naming the job, which goes on; the SDK does not retry it', async () => {
    const error = await rejection(who.openai.images.generate({ prompt: 'a slow sunrise', size: '64x64' }));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 504, code: 'JOB_WAIT_TIMEOUT', type: 'server_error' });
    const jobs = await jobsOf(who);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].status).toBe('queued');
    expect(error.message).toContain(`/v1/jobs/${jobs[0].id}`);
  });

  it('answers 409 JOB_CANCELED when the job is canceled while awaited', async () => {
    const known = new Set((await jobsOf(who)).map((j) => j.id));
    const call = rejection(who.openai.images.generate({ prompt: 'never mind', size: '64x64' }));
    const job = await waitFor(async () => (await jobsOf(who)).find((j) => !known.has(j.id)), { timeoutMs: 5000, what: () => 'the awaited job to be listed' });
    expect((await who.http.post(`/v1/jobs/${job.id}/cancel`)).status).toBe(202);
    const error = await call;
    expect(error).toBeInstanceOf(OpenAI.ConflictError);
    expect(error).toMatchObject({ status: 409, code: 'JOB_CANCELED' });
    expect((await jobsOf(who)).length).toBe(known.size + 1);
  });
});
