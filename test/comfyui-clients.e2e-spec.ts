import { CallWrapper, ComfyApi, PromptBuilder } from '@saintno/comfyui-sdk';
import { Client, plugins, Workflow, WorkflowInterruptedError } from '@stable-canvas/comfyui-client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type AppProcess, startSystem } from './support/app-process';
import { invertGraph, txt2imgGraph } from './support/comfy-graphs';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const IMAGE_NAME = /^[0-9a-f-]{36}\.png$/;

/** A fetch and a WebSocket class that add a bearer, as stable-canvas needs for header auth. */
function withBearer(token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  const authFetch = (url: any, init: any = {}) => fetch(url, { ...init, headers: { ...(init.headers ?? {}), ...headers } });
  class AuthWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers });
    }
  }
  return { authFetch, AuthWebSocket };
}

/** Resolves on the first call of the returned callback: "the prompt is running now". */
function firstCall<T>(): { promise: Promise<T>; callback: (value: T) => void } {
  let callback!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (callback = resolve));
  return { promise, callback };
}

/**
 * The ComfyUI clients of npm, unmodified, against the running API and worker: prompts are real
 * workflow jobs on the tiny Stable-Diffusion model. Every user is new, so plan limits (2 running,
 * 10 a minute) never interfere.
 */
describe('ComfyUI surface: the npm clients', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let http: HttpClient;
  let baseUrl: string;
  let host: string;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env());
    ({ api, worker, baseUrl } = system);
    http = new HttpClient(baseUrl);
    host = new URL(baseUrl).host;
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const saintno = async (token: string, clientId: string) => {
    const client = new ComfyApi(baseUrl, clientId, { credentials: { type: 'bearer_token', token } });
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    await client.init(5, 200).waitForReady();
    await connected;
    // init() asks /system_stats for the OS without waiting for the answer: wait for it here.
    await waitFor(() => client.osType, { what: 'the SDK to read the OS type from /system_stats' });
    return client;
  };

  it('@saintno/comfyui-sdk: init, the default txt2img graph through PromptBuilder + CallWrapper with progress, getImage, uploadImage', async () => {
    const user = await registerUser(http, 'saintno');
    const client = await saintno(user.token, 'saintno-client');
    try {
      expect(client.osType).toBe('posix');
      expect(await client.getCheckpoints()).toContain('tiny-sd');
      expect((await client.getSamplerInfo()).sampler?.[0]).toContain('euler');
      const workflow = new PromptBuilder(txt2imgGraph(), ['positive', 'seed', 'ckpt'], ['images'])
        .setInputNode('positive', '6.inputs.text')
        .setInputNode('seed', '3.inputs.seed')
        .setInputNode('ckpt', '4.inputs.ckpt_name')
        .setOutputNode('images', '9')
        .input('positive', 'a red fox in snow')
        .input('seed', 42)
        .input('ckpt', 'tiny-sd');
      const progress: number[] = [];
      let failure: Error | undefined;
      const result = await new CallWrapper(client, workflow)
        .onProgress((p) => progress.push(p.value))
        .onFailed((error) => (failure = error))
        .run();
      expect(failure).toBeUndefined();
      expect(result).toBeTruthy();
      const image = (result as { images: { images: Array<{ filename: string; subfolder: string; type: string }> } }).images.images[0]!;
      expect(image).toEqual({ filename: expect.stringMatching(IMAGE_NAME), subfolder: '', type: 'output' });
      expect(progress.length).toBeGreaterThan(0);
      const blob = await client.getImage(image);
      expect([...new Uint8Array(await blob.arrayBuffer()).slice(0, 4)]).toEqual(PNG_MAGIC);

      // An upload is one of the caller's images, and LoadImage takes the name it got.
      const source = await gradientPng(32, 24);
      const uploaded = await client.uploadImage(source, 'source.png');
      expect(uploaded && uploaded.info).toMatchObject({ filename: expect.stringMatching(IMAGE_NAME), subfolder: '', type: 'input' });
      const inverted = await new CallWrapper(client, new PromptBuilder(invertGraph((uploaded as { info: { filename: string } }).info.filename), [], ['out']).setOutputNode('out', '3'))
        .onFailed((error) => (failure = error))
        .run();
      expect(failure).toBeUndefined();
      const out = (inverted as { out: { images: Array<{ filename: string; subfolder: string; type: string }> } }).out.images[0]!;
      const pixels = await sharp(Buffer.from(await (await client.getImage(out)).arrayBuffer())).removeAlpha().raw().toBuffer();
      const original = await sharp(source).removeAlpha().raw().toBuffer();
      expect(pixels[0]).toBe(255 - original[0]!);
      expect(pixels[2]).toBe(255 - original[2]!);
    } finally {
      client.destroy();
    }
  });

  it('@saintno/comfyui-sdk: interrupt() stops the running prompt; its credits are released', async () => {
    const user = await registerUser(http, 'saintno-interrupt');
    const client = await saintno(user.token, 'saintno-interrupter');
    try {
      const running = firstCall<void>();
      const failed = firstCall<Error>();
      const workflow = new PromptBuilder(txt2imgGraph({ steps: 150, size: 256 }), [], ['images']).setOutputNode('images', '9');
      const call = new CallWrapper(client, workflow).onProgress(() => running.callback()).onFailed((error) => failed.callback(error));
      const result = call.run();
      await running.promise;
      await client.interrupt();
      expect((await failed.promise).name).toBe('ExecutionInterruptedError');
      expect(await result).toBe(false);
      const promptId = (call as unknown as { promptId: string }).promptId;
      const history = (await user.client.get(`/history/${promptId}`)).body[promptId];
      expect(history.status).toMatchObject({ status_str: 'error', completed: false });
      expect(history.status.messages.at(-1)[0]).toBe('execution_interrupted');
      expect((await user.client.get(`/v1/jobs/${promptId}`)).body.status).toBe('canceled');
      expect((await user.client.get('/v1/billing')).body.reserved).toBe(0);
    } finally {
      client.destroy();
    }
  });

  it('@stable-canvas/comfyui-client: connect, enqueue over the WebSocket with progress, enqueue_polling; header auth and ?token=', async () => {
    const user = await registerUser(http, 'canvas');
    const { authFetch, AuthWebSocket } = withBearer(user.token);
    const client = new Client({ api_host: host, ssl: false, fetch: authFetch, WebSocket: AuthWebSocket, clientId: 'canvas-client' });
    await client.connect();
    try {
      expect(await client.getSDModels()).toContain('tiny-sd');
      expect(await client.getSamplers()).toContain('euler');
      expect(await client.getSchedulers()).toEqual(['normal', 'karras', 'exponential', 'simple']);
      expect(await client.getUpscaleModels()).toContain('tiny-sr');
      const steps: number[] = [];
      const out = await client.enqueue(txt2imgGraph(), { progress: (p: { value: number }) => steps.push(p.value), timeout_ms: 120_000 });
      expect(out.images).toHaveLength(1);
      expect(out.images[0]).toMatchObject({ type: 'url', data: expect.stringContaining(`http://${host}/view?filename=`) });
      expect(steps.length).toBeGreaterThan(0);
      const bytes = new Uint8Array(await (await authFetch(out.images[0]!.data as string)).arrayBuffer());
      expect([...bytes.slice(0, 4)]).toEqual(PNG_MAGIC);

      const polled = await client.enqueue_polling(txt2imgGraph({ seed: 7 }));
      expect(polled.images).toEqual([expect.objectContaining({ type: 'url' })]);
      expect(polled.prompt_id).not.toBe(out.prompt_id);
    } finally {
      client.close();
    }

    // LoginAuthPlugin's ?token= on every API and WebSocket URL.
    const key = (await user.client.post('/v1/api-keys', { name: 'canvas' })).body.key as string;
    const byToken = new Client({ api_host: host, ssl: false, WebSocket, clientId: 'canvas-token' });
    byToken.use(new plugins.LoginAuthPlugin({ token: key }));
    await byToken.connect();
    try {
      const out = await byToken.enqueue(txt2imgGraph({ seed: 9 }), { timeout_ms: 120_000 });
      expect(out.images).toHaveLength(1);
    } finally {
      byToken.close();
    }
  });

  it('@stable-canvas/comfyui-client: a Workflow instance interrupted mid-run', async () => {
    const user = await registerUser(http, 'canvas-interrupt');
    const { authFetch, AuthWebSocket } = withBearer(user.token);
    const client = new Client({ api_host: host, ssl: false, fetch: authFetch, WebSocket: AuthWebSocket, clientId: 'canvas-workflow' });
    await client.connect();
    try {
      const wf = new Workflow();
      const [model, clip, vae] = wf.node('CheckpointLoaderSimple', { ckpt_name: 'tiny-sd' });
      const [positive] = wf.node('CLIPTextEncode', { text: 'a lighthouse', clip: clip as any });
      const [negative] = wf.node('CLIPTextEncode', { text: '', clip: clip as any });
      const [latent] = wf.node('EmptyLatentImage', { width: 256, height: 256, batch_size: 1 });
      const [samples] = wf.node('KSampler', { seed: 1, steps: 150, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model, positive, negative, latent_image: latent });
      const [images] = wf.node('VAEDecode', { samples, vae });
      wf.node('SaveImage', { images, filename_prefix: 'interrupted' });
      const running = firstCall<void>();
      const instance = wf.instance(client, { progress: () => running.callback() });
      await instance.enqueue();
      const outcome = instance.wait();
      await running.promise;
      expect(await instance.query()).toMatchObject({ running: true, pending: false });
      await instance.interrupt();
      await expect(outcome).rejects.toBeInstanceOf(WorkflowInterruptedError);
      expect(await instance.query()).toMatchObject({ done: true });
    } finally {
      client.close();
    }
  });
});
