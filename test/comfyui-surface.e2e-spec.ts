import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { ComfySocket } from './support/comfy-socket';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { SocketRecorder } from './support/socket-recorder';
import { txt2imgGraph } from './support/comfy-graphs';
import { TestEnvironment } from './support/test-environment';

const ADMIN = { email: 'comfy-admin@example.test', password: 'comfy admin password' };

/** Sends a body exactly as given, with the content type given (or none), as ComfyUI clients do. */
async function rawPost(url: string, body: string | undefined, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
}

/**
 * The ComfyUI-compatible surface's HTTP and WebSocket protocol, against the running API: the
 * credential forms, JSON error bodies everywhere, bodies parsed whatever their Content-Type,
 * files, the catalog routes, and the socket (status with sid, heartbeat, same-id reconnect).
 */
describe('ComfyUI surface: protocol', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let baseUrl: string;
  let wsUrl: string;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }));
    ({ api, worker, baseUrl } = system);
    http = new HttpClient(baseUrl);
    wsUrl = baseUrl.replace(/^http/, 'ws');
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  it('takes Bearer (JWT or API key), Basic with the key as password, and ?token=; without them 401 with a JSON body', async () => {
    const user = await registerUser(http, 'comfy-auth');
    const key = (await user.client.post('/v1/api-keys', { name: 'comfy' })).body.key as string;
    const basic = `Basic ${Buffer.from(`anyone:${key}`).toString('base64')}`;
    for (const [path, headers] of [
      ['/prompt', { authorization: `Bearer ${user.token}` }],
      ['/api/prompt', { authorization: `Bearer ${key}` }],
      ['/prompt', { authorization: basic }],
      [`/prompt?token=${key}&clientId=ignored`, {}],
    ] as Array<[string, Record<string, string>]>) {
      const answer = await http.get(path, headers);
      expect(answer.status, path).toBe(200);
      expect(answer.body).toEqual({ exec_info: { queue_remaining: 0 } });
    }
    for (const path of ['/prompt', '/api/queue', '/history', '/object_info', '/view?filename=x.png']) {
      const answer = await http.get(path);
      expect(answer.status, path).toBe(401);
      expect(answer.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    }
    expect(await http.get('/prompt', { authorization: 'Bearer atl_not-a-key' })).toMatchObject({ status: 401, body: { code: expect.any(String) } });
  });

  it('parses POST bodies as JSON whatever the Content-Type, answers 200, and keeps ComfyUI\'s 400 shape for /prompt', async () => {
    const user = await registerUser(http, 'comfy-bodies');
    const auth = { authorization: `Bearer ${user.token}` };
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', undefined]) {
      const headers = type ? { ...auth, 'content-type': type } : auth;
      const noPrompt = await rawPost(`${baseUrl}/prompt`, JSON.stringify({ client_id: 'x' }), headers);
      expect(noPrompt.status, String(type)).toBe(400);
      expect(noPrompt.body).toEqual({ error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} });
      const badId = await rawPost(`${baseUrl}/api/prompt`, JSON.stringify({ prompt: {}, prompt_id: 'NOT-A-UUID' }), headers);
      expect(badId).toMatchObject({ status: 400, body: { error: { type: 'invalid_prompt_id' }, node_errors: {} } });
      expect(await rawPost(`${baseUrl}/queue`, JSON.stringify({ clear: true }), headers)).toMatchObject({ status: 200, text: '' });
      expect(await rawPost(`${baseUrl}/history`, JSON.stringify({ delete: ['00000000-0000-4000-8000-000000000000'] }), headers)).toMatchObject({ status: 200 });
    }
    // Refused before a job exists: nothing is queued.
    expect(await user.client.post('/prompt', { prompt: {}, extra_data: { note: 'a\u0000b' } })).toMatchObject({ status: 400, body: { error: { type: 'invalid_extra_data' } } });
    expect(await user.client.post('/prompt', { prompt: {}, client_id: 'x'.repeat(201) })).toMatchObject({ status: 400, body: { error: { type: 'invalid_client_id' } } });
    expect((await user.client.get('/v1/jobs')).body.items).toEqual([]);
    // /interrupt takes an empty or invalid body, as ComfyUI does.
    expect((await rawPost(`${baseUrl}/interrupt`, undefined, auth)).status).toBe(200);
    expect((await rawPost(`${baseUrl}/api/interrupt`, 'not json', { ...auth, 'content-type': 'text/plain' })).status).toBe(200);
    expect((await rawPost(`${baseUrl}/prompt`, '{"prompt": ', { ...auth, 'content-type': 'text/plain' }))).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    const tooLarge = await rawPost(`${baseUrl}/prompt`, JSON.stringify({ prompt: { x: 'y'.repeat(1_100_000) } }), { ...auth, 'content-type': 'text/plain' });
    expect(tooLarge).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    // Other routes keep their own parsing: a JSON route still refuses text/plain as before.
    expect((await rawPost(`${baseUrl}/v1/auth/login`, JSON.stringify({ email: 'a', password: 'b' }), { 'content-type': 'text/plain' })).status).toBe(400);
  });

  it('serves the catalog and system routes ComfyUI clients probe, with JSON 404s', async () => {
    const user = await registerUser(http, 'comfy-catalog');
    const c = user.client;
    expect(await c.get('/object_info/Primitive%20boolean%20%5BCrystools%5D')).toMatchObject({ status: 200, body: {} });
    expect((await c.get('/api/system_stats')).body).toMatchObject({ system: { os: 'posix' }, devices: [expect.objectContaining({ index: 0 })] });
    expect((await c.get('/features')).body).toMatchObject({ supports_preview_metadata: false, max_upload_size: expect.any(Number) });
    expect((await c.get('/embeddings')).body).toEqual([]);
    expect((await c.get('/extensions')).body).toEqual([]);
    expect((await c.get('/models')).body).toEqual(expect.arrayContaining(['checkpoints', 'upscale_models']));
    expect((await c.get('/models/checkpoints')).body).toEqual(expect.arrayContaining(['tiny-sd', 'pattern-cppn']));
    expect((await c.get('/api/models/upscale_models')).body).toEqual(['esrgan-gans-x4', 'esrgan-psnr-x2', 'esrgan-psnr-x3', 'esrgan-psnr-x4', 'tiny-sr']);
    expect(await c.get('/models/nothing-here')).toMatchObject({ status: 404, body: { statusCode: 404, code: 'NOT_FOUND' } });
    expect((await c.get('/experiment/models/checkpoints')).body).toEqual(expect.arrayContaining([{ name: 'tiny-sd', pathIndex: 0 }]));

    // The node catalog, as both SDKs read it: `input.required.<name>[0]` is the option list.
    const image = (await c.upload('/v1/images', await gradientPng())).body.id as string;
    const catalog = (await c.get('/object_info')).body;
    expect(catalog.CheckpointLoaderSimple.input.required.ckpt_name[0]).toEqual(expect.arrayContaining(['tiny-sd']));
    expect(catalog.KSampler.input.required.sampler_name[0]).toContain('euler');
    expect(catalog.LoadImage.input.required.image[0]).toContain(`${image}.png`);
    expect(catalog.SaveImage.output_node).toBe(true);
    expect(Object.keys((await c.get('/api/object_info/KSampler')).body)).toEqual(['KSampler']);
    expect(await c.get('/manager/version')).toMatchObject({ status: 404, body: { statusCode: 404 } });
    expect((await c.get('/history?max_items=5&clientId=x')).body).toEqual({});
    expect(await c.get('/history/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 200, body: {} });
    expect(await c.get('/history/not-a-uuid')).toMatchObject({ status: 200, body: {} });
    expect(await c.get('/api/jobs/00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { code: 'JOB_NOT_FOUND' } });
    expect((await c.get('/queue')).body).toEqual({ queue_running: [], queue_pending: [] });
    expect(await c.post('/free', { unload_models: true })).toMatchObject({ status: 403, body: { code: 'ADMIN_ONLY' } });
    const admin = http.as((await http.post('/v1/auth/login', ADMIN)).body.accessToken);
    expect(await admin.post('/free', { unload_models: true, free_memory: true })).toMatchObject({ status: 200 });
    const patched = await fetch(`${baseUrl}/internal/logs/subscribe`, { method: 'PATCH', headers: { authorization: `Bearer ${user.token}` }, body: '{"clientId":"x","enabled":false}' });
    expect(patched.status).toBe(200);
  });

  it('answers /prompt refusals in ComfyUI\'s shape: invalid graphs, skipped outputs, plan limits', async () => {
    const user = await registerUser(http, 'comfy-refusals');
    const unknown = await user.client.post('/prompt', { prompt: { '1': { class_type: 'NoSuchNode', inputs: {} } } });
    expect(unknown).toMatchObject({ status: 400, body: { error: { type: 'missing_node_type', message: "Node 'NoSuchNode' not found. The custom node may not be installed." }, node_errors: {} } });
    const tooManySteps = await user.client.post('/api/prompt', { prompt: txt2imgGraph({ steps: 1000 }) });
    expect(tooManySteps).toMatchObject({ status: 400, body: { error: { type: 'prompt_outputs_failed_validation' }, node_errors: { '3': { class_type: 'KSampler', errors: [{ type: 'value_bigger_than_max' }] } } } });

    // One output fails validation (an image that is not the caller's), the other runs: 200 with node_errors, as ComfyUI answers.
    const partial = {
      ...txt2imgGraph(),
      '10': { class_type: 'LoadImage', inputs: { image: '00000000-0000-4000-8000-000000000000.png' } },
      '11': { class_type: 'PreviewImage', inputs: { images: ['10', 0] } },
    };
    const accepted = await user.client.post('/prompt', { prompt: partial });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(Object.keys(accepted.body.node_errors)).toEqual(['10']);
    const queue = (await user.client.get('/queue')).body;
    const item = [...queue.queue_running, ...queue.queue_pending].find((i: unknown[]) => i[1] === accepted.body.prompt_id);
    const entry = item ?? (await user.client.get(`/history/${accepted.body.prompt_id}`)).body[accepted.body.prompt_id].prompt;
    expect(entry[4]).toEqual(['9']);
    await api.waitUntil(async () => (await user.client.get('/prompt')).body.exec_info.queue_remaining === 0, 30_000);

    // The free plan runs two prompts at a time: the third is refused with its code and Retry-After.
    const long = (seed: number) => user.client.post('/prompt', { prompt: txt2imgGraph({ steps: 150, size: 256, seed }) });
    expect((await long(1)).status).toBe(200);
    expect((await long(2)).status).toBe(200);
    const third = await long(3);
    expect(third).toMatchObject({ status: 429, body: { error: { type: 'CONCURRENCY_LIMIT' }, node_errors: {} } });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    await user.client.post('/queue', { clear: true });
    await user.client.post('/interrupt');
    await api.waitUntil(async () => (await user.client.get('/prompt')).body.exec_info.queue_remaining === 0, 30_000);
  });

  it('stores uploads as the caller\'s images, serves them by name at /view, and applies a mask\'s alpha', async () => {
    const owner = await registerUser(http, 'comfy-files');
    const other = await registerUser(http, 'comfy-files-other');
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await gradientPng(40, 30))], { type: 'image/png' }), 'source.png');
    form.append('overwrite', 'true');
    form.append('subfolder', '');
    const uploaded = await fetch(`${baseUrl}/upload/image`, { method: 'POST', body: form, headers: { authorization: `Bearer ${owner.token}` } });
    expect(uploaded.status).toBe(200);
    const info = (await uploaded.json()) as { name: string; subfolder: string; type: string };
    expect(info).toEqual({ name: expect.stringMatching(/^[0-9a-f-]{36}\.png$/), subfolder: '', type: 'input' });
    const imageId = info.name.replace('.png', '');
    expect((await owner.client.get(`/v1/images/${imageId}`)).body).toMatchObject({ width: 40, height: 30 });

    const view = await owner.client.bytes(`/view?filename=${info.name}&type=input&subfolder=&clientId=abc`);
    expect(view.status).toBe(200);
    expect(view.headers.get('content-type')).toBe('image/png');
    expect(await sharp(view.bytes).metadata()).toMatchObject({ format: 'png', width: 40, height: 30 });
    expect((await owner.client.bytes(`/api/view?filename=${imageId}.png&preview=jpeg;90`)).headers.get('content-type')).toBe('image/jpeg');
    expect(await other.client.get(`/view?filename=${info.name}&type=input`)).toMatchObject({ status: 404, body: { code: 'IMAGE_NOT_FOUND' } });
    expect(await owner.client.get('/view?filename=ComfyUI_00001_.png')).toMatchObject({ status: 404, body: { code: 'IMAGE_NOT_FOUND' } });
    expect(await owner.client.get('/view')).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });

    const empty = new FormData();
    empty.append('subfolder', '');
    expect(await (await fetch(`${baseUrl}/upload/image`, { method: 'POST', body: empty, headers: { authorization: `Bearer ${owner.token}` } })).json()).toMatchObject({ code: 'FILE_MISSING' });
    const notImage = new FormData();
    notImage.append('image', new Blob([new TextEncoder().encode('hello')], { type: 'image/png' }), 'x.png');
    expect((await fetch(`${baseUrl}/upload/image`, { method: 'POST', body: notImage, headers: { authorization: `Bearer ${owner.token}` } })).status).toBe(415);

    // A half-transparent mask (smaller than the original): its alpha becomes the new image's alpha.
    const mask = await sharp({ create: { width: 20, height: 15, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
    const maskForm = new FormData();
    maskForm.append('image', new Blob([new Uint8Array(mask)], { type: 'image/png' }), 'mask.png');
    maskForm.append('original_ref', JSON.stringify({ filename: info.name, subfolder: '', type: 'input' }));
    const masked = (await (await fetch(`${baseUrl}/upload/mask`, { method: 'POST', body: maskForm, headers: { authorization: `Bearer ${owner.token}` } })).json()) as { name: string };
    expect(masked.name).not.toBe(info.name);
    const maskedBytes = (await owner.client.bytes(`/view?filename=${masked.name}`)).bytes;
    const { data, info: raw } = await sharp(maskedBytes).raw().toBuffer({ resolveWithObject: true });
    expect(raw).toMatchObject({ width: 40, height: 30, channels: 4 });
    expect(data[3]).toBeGreaterThan(100);
    expect(data[3]).toBeLessThan(155);
    // The original must be the caller's.
    const foreign = new FormData();
    foreign.append('image', new Blob([new Uint8Array(mask)], { type: 'image/png' }), 'mask.png');
    foreign.append('original_ref', JSON.stringify({ filename: info.name }));
    expect((await fetch(`${baseUrl}/upload/mask`, { method: 'POST', body: foreign, headers: { authorization: `Bearer ${other.token}` } })).status).toBe(404);
  });

  it('opens /ws and /api/ws with any credential form, says status with sid first, and keeps the socket busy', async () => {
    const user = await registerUser(http, 'comfy-ws');
    const key = (await user.client.post('/v1/api-keys', { name: 'ws' })).body.key as string;
    await expect(ComfySocket.open(`${wsUrl}/ws?clientId=nobody`)).rejects.toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    await expect(ComfySocket.open(`${wsUrl}/ws?token=atl_wrong`)).rejects.toMatchObject({ status: 401 });

    const socket = await ComfySocket.open(`${wsUrl}/ws?clientId=client-a`, { authorization: `Bearer ${user.token}` });
    const first = await socket.waitFor(() => true, 'a first frame');
    expect(first).toEqual({ type: 'status', data: { status: { exec_info: { queue_remaining: 0 } }, sid: 'client-a' } });
    const connectedAt = Date.now();
    await socket.waitFor((f) => f.type === 'status' && !('sid' in f.data), 'a heartbeat status', 6000, 1);
    expect(Date.now() - connectedAt).toBeLessThanOrEqual(5500);

    const byToken = await ComfySocket.open(`${wsUrl}/api/ws?token=${key}`);
    expect((await byToken.waitFor((f) => f.type === 'status', 'status')).data.sid).toMatch(/^[0-9a-f]{32}$/);
    const basic = await ComfySocket.open(`${wsUrl}/ws?clientId=basic`, { authorization: `Basic ${Buffer.from(`:${key}`).toString('base64')}` });
    expect((await basic.waitFor((f) => f.type === 'status', 'status')).data.sid).toBe('basic');

    // feature_flags gets the server's flags back.
    basic.socket.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }));
    expect((await basic.waitFor((f) => f.type === 'feature_flags', 'feature_flags')).data).toMatchObject({ supports_preview_metadata: false });
    for (const s of [socket, byToken, basic]) s.close();
  });

  it('keeps the new socket when a client reconnects with the same clientId (ComfyUI#16010), per user', async () => {
    const alice = await registerUser(http, 'comfy-reconnect-a');
    const bob = await registerUser(http, 'comfy-reconnect-b');
    const old = await ComfySocket.open(`${wsUrl}/ws?clientId=shared-id`, { authorization: `Bearer ${alice.token}` });
    const bobs = await ComfySocket.open(`${wsUrl}/ws?clientId=shared-id`, { authorization: `Bearer ${bob.token}` });
    await old.waitFor((f) => f.type === 'status', 'status');
    const fresh = await ComfySocket.open(`${wsUrl}/ws?clientId=shared-id`, { authorization: `Bearer ${alice.token}` });
    expect((await old.closed).code).toBe(4000);
    // After the old one closed, the new one still gets frames; Bob's socket of the same id was left alone.
    const seen = fresh.frames.length;
    await fresh.waitFor((f) => f.type === 'status', 'a status after the old socket closed', 6000, seen);
    await bobs.waitFor((f) => f.type === 'status', 'Bob\'s heartbeat', 6000, 1);
    expect(bobs.socket.readyState).toBe(bobs.socket.OPEN);
    fresh.close();
    bobs.close();
  });

  it('leaves Socket.IO\'s /socket.io/ upgrade working beside the raw socket', async () => {
    const user = await registerUser(http, 'comfy-sio');
    const recorder = await SocketRecorder.connect(baseUrl, user.token);
    expect(recorder.socket.connected).toBe(true);
    recorder.close();
  });
});
