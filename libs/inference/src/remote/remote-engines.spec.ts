import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { FakeComfyUpstream, refusedUrl } from '../../../../test/support/fake-comfyui-upstream';
import { FakeOpenAiImages } from '../../../../test/support/fake-openai-images';
import { comfyRemoteManifest, IMG2IMG_BINDINGS, img2imgGraph, writeManifestsDir } from '../../../../test/support/remote-manifests';
import { waitFor } from '../../../../test/support/wait-for';
import type { GenerationJobRequest } from '../generation/generation-request';
import { ModelRegistry } from '../models/model-registry';
import { RemoteEngines } from './remote-engines';
import type { RemoteObserver } from './remote-observer';

/** Small values so faults resolve in milliseconds; the defaults are documented in docs/MODELS.md. */
const FAST = { attempts: 3, tryTimeoutMs: 3_000, deadlineMs: 10_000, backoffMs: 5, maxBackoffMs: 20, ejectionMs: 60_000, pollIntervalMs: 20 };

const request = (over: Partial<GenerationJobRequest> = {}): GenerationJobRequest => ({
  kind: 'txt2img', model: 'remote', prompt: 'a red fox', negativePrompt: 'blurry', width: 64, height: 64, steps: 4, guidance: 6.5, seed: 7, batch: 1, scheduler: 'euler', ...over,
});

interface Recorded {
  tries: Array<{ host: string; outcome: string }>;
  retries: string[];
  ejections: string[];
}

function recorder(): RemoteObserver & Recorded {
  const r: Recorded = { tries: [], retries: [], ejections: [] };
  return { ...r, onTry: (_m, host, outcome) => r.tries.push({ host, outcome }), onRetry: (_m, host) => r.retries.push(host), onEjection: (_m, host) => r.ejections.push(host) };
}

const dirs: string[] = [];
function engines(manifest: Record<string, unknown>, observer?: RemoteObserver): RemoteEngines {
  const dir = writeManifestsDir([manifest]);
  dirs.push(dir);
  const remote = new RemoteEngines(new ModelRegistry({ manifestsDir: dir, modelsDir: dir }));
  if (observer) remote.observeWith(observer);
  return remote;
}

const hooks = (progress: Array<{ step: number; total: number; preview?: string }> = [], canceled = () => false) => ({
  reportProgress: async (step: number, total: number, preview?: string) => void progress.push({ step, total, preview }),
  isCanceled: async () => canceled(),
});

describe('RemoteEngines against a fault-injecting ComfyUI upstream', () => {
  let a: FakeComfyUpstream;
  let b: FakeComfyUpstream;
  beforeAll(async () => {
    a = await FakeComfyUpstream.start({ r: 200, g: 0, b: 0 });
    b = await FakeComfyUpstream.start({ r: 0, g: 0, b: 200 });
  });
  afterEach(() => {
    a.reset();
    b.reset();
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('binds the job into the graph, relays progress and a preview, and returns the output image as PNG', async () => {
    process.env.FAKE_UPSTREAM_TOKEN = 'sekret';
    const remote = engines(comfyRemoteManifest('remote', [a.url], { auth: { env: 'FAKE_UPSTREAM_TOKEN', prefix: 'Bearer ' }, resilience: FAST }));
    const progress: Array<{ step: number; total: number; preview?: string }> = [];
    const before = a.prompts.length;
    const result = await remote.generate(request(), hooks(progress));
    if (result === 'canceled') throw new Error('canceled');
    const sent = a.prompts[before];
    expect(sent.graph['6'].inputs.text).toBe('a red fox');
    expect(sent.graph['7'].inputs.text).toBe('blurry');
    expect(sent.graph['3'].inputs).toMatchObject({ seed: 7, steps: 4, cfg: 6.5 });
    expect(sent.graph['5'].inputs).toMatchObject({ width: 64, height: 64, batch_size: 1 });
    expect(sent.graph['4'].inputs.ckpt_name).toBe('tiny-sd');
    expect(sent.headers.authorization).toBe('Bearer sekret');
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(progress.find((p) => p.preview)?.preview).toMatch(/^data:image\/webp;base64,/);
    expect(result.images).toHaveLength(1);
    const { data } = await sharp(result.images[0].png).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([200, 0, 0]);
    expect(result.provider).toBe('comfyui-remote');
  });

  it('stops the worker when a manifest names a secret the environment lacks, and never puts it in a manifest', () => {
    delete process.env.FAKE_MISSING_TOKEN;
    const remote = engines(comfyRemoteManifest('remote', [a.url], { auth: { env: 'FAKE_MISSING_TOKEN' } }));
    expect(() => remote.onModuleInit()).toThrow(/FAKE_MISSING_TOKEN/);
    process.env.FAKE_MISSING_TOKEN = 'x';
    expect(() => remote.onModuleInit()).not.toThrow();
    delete process.env.FAKE_MISSING_TOKEN;
  });

  it('refuses LoRAs and an inpainting mask, which the remote graph cannot carry', async () => {
    const remote = engines(comfyRemoteManifest('remote', [a.url], { resilience: FAST }));
    await expect(remote.generate(request({ loras: [{ id: 'tiny-lora', weight: 0.5 }] }), hooks())).rejects.toMatchObject({ code: 'MODEL_WRONG_PIPELINE' });
    await expect(remote.generate(request({ kind: 'img2img', initImage: Buffer.from('x'), maskImage: Buffer.from('y') }), hooks())).rejects.toMatchObject({ code: 'MODEL_CANNOT_IMG2IMG' });
  });

  it('retries 500s on the other host, ejects a host after 3 consecutive ones, and sends traffic to the other', async () => {
    const seen = recorder();
    const remote = engines(comfyRemoteManifest('remote', [a.url, b.url], { resilience: FAST }), seen);
    a.fallback = '500';
    for (let i = 0; i < 4; i++) {
      const result = await remote.generate(request({ seed: i }), hooks());
      expect(result).not.toBe('canceled');
    }
    // Round one: a (500) then b; a gets tries until its third 500 ejects it; after that only b.
    expect(seen.ejections).toEqual([a.url]);
    expect(seen.tries.filter((t) => t.host === a.url).map((t) => t.outcome)).toEqual(['5xx', '5xx', '5xx']);
    expect(seen.retries.every((h) => h === a.url)).toBe(true);
    expect(seen.tries.filter((t) => t.host === b.url && t.outcome === 'success')).toHaveLength(4);
    const states = remote.hostStates('remote')!;
    expect(states[0]).toMatchObject({ url: a.url, healthy: false, inFlight: 0 });
    expect(Date.parse(states[0].ejectedUntil!)).toBeGreaterThan(Date.now() + 50_000);
    expect(states[1]).toEqual({ url: b.url, healthy: true, ejectedUntil: null, inFlight: 0 });
    // A 500 is an answer: nothing was queued there, so nothing is deleted or interrupted.
    const refusedIds = a.promptsWith('500').map((p) => p.id);
    expect([...a.deleted, ...a.interrupted].filter((id) => refusedIds.includes(id))).toEqual([]);
  });

  it('ends a call at its deadline with UPSTREAM_UNAVAILABLE, its running prompt interrupted upstream', async () => {
    const remote = engines(comfyRemoteManifest('remote', [a.url], { resilience: { ...FAST, deadlineMs: 800 } }));
    a.runMs = 5_000;
    await expect(remote.generate(request(), hooks())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/within 800 ms/) });
    const prompt = a.prompts.at(-1)!;
    expect(a.interrupted).toContain(prompt.id);
    expect(a.prompts.filter((p) => p.clientId === prompt.clientId)).toHaveLength(1);
  });

  it('aborts a hanging try at its timeout, deletes and interrupts that prompt upstream, and retries elsewhere', async () => {
    const seen = recorder();
    const remote = engines(comfyRemoteManifest('remote', [a.url, b.url], { resilience: { ...FAST, tryTimeoutMs: 1_000 } }), seen);
    a.next('hang');
    const result = await remote.generate(request(), hooks());
    expect(result).not.toBe('canceled');
    expect(seen.tries.map((t) => t.outcome)).toEqual(['timeout', 'success']);
    const hung = a.promptsWith('hang').at(-1)!;
    // The tidy-up reached the upstream before the retry went out: never two prompts running.
    expect(a.deleted).toContain(hung.id);
    expect(a.interrupted).toContain(hung.id);
    expect(b.maxRunning).toBe(1);
  });

  it('retries a refused connection on another host', async () => {
    const seen = recorder();
    const dead = await refusedUrl();
    const remote = engines(comfyRemoteManifest('remote', [dead, b.url], { resilience: FAST }), seen);
    const result = await remote.generate(request(), hooks());
    expect(result).not.toBe('canceled');
    expect(seen.tries.map((t) => t.outcome)).toEqual(['network', 'success']);
  });

  it('fails at once with the upstream message on a 400, without a retry', async () => {
    const seen = recorder();
    const remote = engines(comfyRemoteManifest('remote', [a.url, b.url], { resilience: FAST }), seen);
    a.next('400');
    b.next('400');
    await expect(remote.generate(request(), hooks())).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', message: expect.stringMatching(/Prompt outputs failed validation: ckpt_name not in list/) });
    expect(seen.tries).toHaveLength(1);
    expect(seen.retries).toEqual([]);
    expect(seen.ejections).toEqual([]);
  });

  it('polls /history when the socket drops mid-run', async () => {
    const remote = engines(comfyRemoteManifest('remote', [a.url], { resilience: FAST }));
    a.next('drop-socket');
    a.runMs = 200;
    const before = a.requests.filter((r) => r.startsWith('GET /history/')).length;
    const result = await remote.generate(request(), hooks());
    if (result === 'canceled') throw new Error('canceled');
    expect(result.images).toHaveLength(1);
    expect(a.requests.filter((r) => r.startsWith('GET /history/')).length - before).toBeGreaterThan(1);
  });

  it('fails fast with UPSTREAM_UNAVAILABLE when every host is down', async () => {
    const seen = recorder();
    const remote = engines(comfyRemoteManifest('remote', [await refusedUrl(), await refusedUrl()], { resilience: { ...FAST, deadlineMs: 60_000 } }), seen);
    const started = Date.now();
    await expect(remote.generate(request(), hooks())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/No upstream host of remote could do the job .*ECONNREFUSED/) });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(seen.tries.map((t) => t.outcome)).toEqual(['network', 'network', 'network']);
  });

  it('fails with UPSTREAM_UNAVAILABLE at once when every host is ejected past the deadline', async () => {
    const dead = await refusedUrl();
    const remote = engines(comfyRemoteManifest('remote', [dead], { resilience: { ...FAST, attempts: 3, consecutiveFailures: 3 } }));
    await expect(remote.generate(request(), hooks())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(remote.hostStates('remote')![0].healthy).toBe(false);
    const started = Date.now();
    await expect(remote.generate(request(), hooks())).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringMatching(/ejected/) });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('takes an ejected host back after its ejection time', async () => {
    const seen = recorder();
    const remote = engines(comfyRemoteManifest('remote', [a.url, b.url], { resilience: { ...FAST, ejectionMs: 300 } }), seen);
    a.fallback = '500';
    await remote.generate(request(), hooks());
    await remote.generate(request(), hooks());
    await remote.generate(request(), hooks());
    expect(seen.ejections).toEqual([a.url]);
    a.fallback = 'ok';
    await waitFor(() => Date.parse(remote.hostStates('remote')![0].ejectedUntil!) <= Date.now(), { what: 'the ejection to end', timeoutMs: 5_000, intervalMs: 20 });
    const before = seen.tries.length;
    await remote.generate(request(), hooks());
    await remote.generate(request(), hooks());
    expect(seen.tries.slice(before).some((t) => t.host === a.url && t.outcome === 'success')).toBe(true);
    expect(remote.hostStates('remote')![0]).toMatchObject({ healthy: true, ejectedUntil: null });
  });

  it('uploads the init image for img2img and binds its name and the strength', async () => {
    const remote = engines(comfyRemoteManifest('remote', [a.url], { jobTypes: ['txt2img', 'img2img'], workflow: img2imgGraph(), bindings: IMG2IMG_BINDINGS, resilience: FAST }));
    const init = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    const uploads = a.uploads.length;
    const result = await remote.generate(request({ kind: 'img2img', initImage: init, strength: 0.4 }), hooks());
    expect(result).not.toBe('canceled');
    expect(a.uploads).toHaveLength(uploads + 1);
    // Sent as a PNG of the job's size, as a local model would crop it.
    const body = a.uploads.at(-1)!;
    const sent = body.subarray(body.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47])));
    expect(await sharp(sent).metadata()).toMatchObject({ format: 'png', width: 64, height: 64 });
    const prompt = a.prompts.at(-1)!;
    expect(prompt.graph['10'].inputs.image).toBe(`upload-${uploads + 1}.png`);
    expect(prompt.graph['3'].inputs.denoise).toBe(0.4);
  });

  it('interrupts the upstream prompt when the job is canceled', async () => {
    const remote = engines(comfyRemoteManifest('remote', [a.url], { resilience: FAST }));
    a.runMs = 4_000;
    let canceled = false;
    const progress: Array<{ step: number; total: number }> = [];
    const run = remote.generate(request(), hooks(progress, () => canceled));
    const prompt = await waitFor(() => (a.running > 0 ? a.prompts.at(-1) : undefined), { what: 'the prompt to run upstream', timeoutMs: 5_000, intervalMs: 10 });
    canceled = true;
    expect(await run).toBe('canceled');
    expect(a.interrupted).toContain(prompt.id);
    expect(a.deleted).toContain(prompt.id);
  });
});

describe('RemoteEngines against an OpenAI-compatible images API', () => {
  let api: FakeOpenAiImages;
  beforeAll(async () => {
    api = await FakeOpenAiImages.start();
  });
  afterAll(() => api.close());

  const manifest = () => ({
    id: 'remote', pipeline: 'txt2img', jobTypes: ['txt2img', 'img2img'], engine: 'openai-images', description: 'd', license: 'x',
    baseUrl: api.url, model: 'gpt-image-1', apiKeyEnv: 'FAKE_OPENAI_KEY', resilience: FAST,
  });

  it('calls images/generations with the job and the key, and returns the b64_json images', async () => {
    process.env.FAKE_OPENAI_KEY = 'sk-test';
    const result = await engines(manifest()).generate(request({ width: 32, height: 48, batch: 2 }), hooks());
    if (result === 'canceled') throw new Error('canceled');
    const call = api.calls.at(-1)!;
    expect(call).toMatchObject({ path: '/v1/images/generations', authorization: 'Bearer sk-test', fields: { model: 'gpt-image-1', prompt: 'a red fox', n: 2, size: '32x48', response_format: 'b64_json' } });
    expect(result.images.map((i) => [i.width, i.height])).toEqual([[32, 48], [32, 48]]);
    expect(result.provider).toBe('openai-images');
  });

  it('sends img2img to images/edits as multipart with the init image', async () => {
    const init = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 5, g: 6, b: 7 } } }).png().toBuffer();
    const result = await engines(manifest()).generate(request({ kind: 'img2img', initImage: init, strength: 0.5 }), hooks());
    expect(result).not.toBe('canceled');
    const call = api.calls.at(-1)!;
    expect(call).toMatchObject({ path: '/v1/images/edits', fields: { model: 'gpt-image-1', prompt: 'a red fox', n: '1', size: '64x64', response_format: 'b64_json' } });
    const { data, info } = await sharp(call.image!).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, data[0], data[1], data[2]]).toEqual([64, 64, 5, 6, 7]);
  });

  it('retries a 500, and fails a 400 with the upstream message without retrying', async () => {
    const seen = recorder();
    const remote = engines(manifest(), seen);
    api.script.push(500);
    expect(await remote.generate(request(), hooks())).not.toBe('canceled');
    expect(seen.tries.map((t) => t.outcome)).toEqual(['5xx', 'success']);
    api.script.push(400);
    await expect(remote.generate(request(), hooks())).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', message: expect.stringMatching(/rejected by the safety system/) });
    expect(seen.tries.map((t) => t.outcome)).toEqual(['5xx', 'success', '4xx']);
  });
});
