import { rmSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, freePort, startSystem } from './support/app-process';
import { txt2imgGraph } from './support/comfy-graphs';
import { refusedUrl } from './support/fake-comfyui-upstream';
import { HttpClient, registerUser, waitForJobStatus } from './support/http-client';
import { gradientPng } from './support/images';
import { comfyRemoteManifest, IMG2IMG_BINDINGS, img2imgGraph, TXT2IMG_BINDINGS, writeManifestsDir } from './support/remote-manifests';
import { TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

/**
 * Atelier in front of Atelier: a second API + worker is the upstream ComfyUI server (its
 * ComfyUI surface, an API key as the bearer), so a job goes API → queue → worker → upstream
 * `/prompt` → upstream worker (tiny-sd) → image back into the front's storage. The front's
 * model lists a refused host first, so the first try fails and the retry goes upstream.
 */
describe('remote generation engine: Atelier in front of Atelier', () => {
  const upstreamEnv = new TestEnvironment();
  const frontEnv = new TestEnvironment();
  const processes: AppProcess[] = [];
  let manifestsDir = '';
  let front: HttpClient;
  let upstream: HttpClient;
  let upstreamUrl = '';
  let deadHost = '';
  let metricsPort = 0;

  beforeAll(async () => {
    await Promise.all([upstreamEnv.create(), frontEnv.create()]);
    const up = await startSystem(upstreamEnv.env());
    processes.push(up.api, up.worker);
    upstreamUrl = up.baseUrl;
    const owner = await registerUser(new HttpClient(upstreamUrl), 'upstream-owner');
    upstream = owner.client;
    const key = (await upstream.post('/v1/api-keys', { name: 'front', scopes: ['jobs:write', 'jobs:read', 'images:write', 'images:read'] })).body.key as string;
    deadHost = await refusedUrl();
    manifestsDir = writeManifestsDir(
      [
        comfyRemoteManifest('atelier-upstream', [deadHost, upstreamUrl], {
          jobTypes: ['txt2img', 'img2img'],
          workflow: img2imgGraph('tiny-sd'),
          bindings: { ...IMG2IMG_BINDINGS, width: TXT2IMG_BINDINGS.width, height: TXT2IMG_BINDINGS.height },
          auth: { header: 'Authorization', env: 'ATELIER_UPSTREAM_KEY', prefix: 'Bearer ' },
          resilience: { attempts: 3, tryTimeoutMs: 60_000, deadlineMs: 90_000, backoffMs: 10, maxBackoffMs: 50 },
        }),
        comfyRemoteManifest('atelier-upstream-txt', [upstreamUrl], {
          workflow: txt2imgGraph({ checkpoint: 'tiny-sd', steps: 2, size: 64 }),
          auth: { header: 'Authorization', env: 'ATELIER_UPSTREAM_KEY', prefix: 'Bearer ' },
        }),
      ],
      { withRepositoryModels: true },
    );
    metricsPort = await freePort();
    const system = await startSystem(frontEnv.env({ MODEL_MANIFESTS_DIR: manifestsDir, ATELIER_UPSTREAM_KEY: key, WORKER_METRICS_PORT: String(metricsPort) }));
    processes.push(system.api, system.worker);
    front = (await registerUser(new HttpClient(system.baseUrl), 'front-user')).client;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all([upstreamEnv.destroy(), frontEnv.destroy()]);
    if (manifestsDir) rmSync(manifestsDir, { recursive: true, force: true });
  });

  it('runs a txt2img job on the upstream Atelier, charged once what it was quoted, with the hosts in /v1/models', async () => {
    const body = { type: 'txt2img', model: 'atelier-upstream-txt', input: { prompt: 'a lighthouse at dusk', width: 64, height: 64, steps: 2, seed: 11 } };
    const quote = await front.post('/v1/jobs/quote', body);
    expect(quote.status).toBe(200);
    const submitted = await front.post('/v1/jobs', body);
    expect(submitted.status).toBe(202);
    const job = await waitForJobStatus(front, submitted.body.id, ['succeeded', 'failed'], 90_000);
    expect(job.error).toBeUndefined();
    expect(job.status).toBe('succeeded');
    const image = job.outputs.find((o: { imageId?: string }) => o.imageId);
    const { bytes: png } = await front.bytes(image.url);
    expect([...png.subarray(0, 4)]).toEqual(PNG_MAGIC);
    expect(await sharp(png).metadata()).toMatchObject({ width: 64, height: 64 });
    expect(job.outputs.find((o: { kind?: string }) => o.kind === 'json').data).toMatchObject({ model: 'atelier-upstream-txt', provider: 'comfyui-remote' });

    // The upstream ran it as a workflow job of its key's owner, with the bound prompt.
    const upstreamJobs = (await upstream.get('/v1/jobs?type=workflow')).body.items as Array<{ status: string; input: unknown }>;
    expect(upstreamJobs.filter((j) => j.status === 'succeeded' && JSON.stringify(j.input).includes('a lighthouse at dusk'))).toHaveLength(1);

    const ledger = (await front.get('/v1/billing/ledger')).body.items.filter((e: { jobId?: string }) => e.jobId === job.id);
    expect(ledger.map((e: { kind: string }) => e.kind).sort()).toEqual(['capture', 'reserve']);
    expect(job.cost).toBe(quote.body.cost);

    // The heartbeat (every 5 s) may still carry the try in flight: wait for the next one.
    const listed = await waitFor(
      async () => {
        const models = (await front.get('/v1/models')).body as Array<{ id: string; hosts?: Array<{ inFlight: number }> }>;
        const model = models.find((m) => m.id === 'atelier-upstream-txt');
        return model?.hosts?.[0]?.inFlight === 0 && model;
      },
      { what: 'the remote model with nothing in flight', timeoutMs: 20_000, intervalMs: 500 },
    );
    expect(listed).toMatchObject({
      engine: 'comfyui-remote', state: 'hot', provider: 'comfyui-remote', healthy: true, workers: 1, hosts: [{ url: upstreamUrl, healthy: true, ejectedUntil: null, inFlight: 0 }],
    });
    const catalog = (await front.get('/object_info/CheckpointLoaderSimple')).body;
    expect(catalog.CheckpointLoaderSimple.input.required.ckpt_name[0]).toEqual(expect.arrayContaining(['atelier-upstream', 'atelier-upstream-txt', 'tiny-sd']));
  });

  it('runs img2img upstream (the image uploaded there), after a retry past the refused host, counted in /metrics', async () => {
    const upload = await front.upload('/v1/images', await gradientPng(64, 64), 'init.png');
    expect(upload.status).toBe(201);
    const submitted = await front.post('/v1/jobs', { type: 'img2img', model: 'atelier-upstream', input: { imageId: upload.body.id, prompt: 'a red door', width: 64, height: 64, steps: 2, strength: 0.5, seed: 3 } });
    expect(submitted.status).toBe(202);
    const job = await waitForJobStatus(front, submitted.body.id, ['succeeded', 'failed'], 90_000);
    expect(job.error).toBeUndefined();
    expect(job.outputs.filter((o: { imageId?: string }) => o.imageId)).toHaveLength(1);

    // The upstream's workflow job loaded the image the front uploaded there, not the graph's placeholder.
    const upstreamJobs = (await upstream.get('/v1/jobs?type=workflow')).body.items as Array<{ status: string; input: unknown }>;
    const img2img = upstreamJobs.find((j) => JSON.stringify(j.input).includes('a red door'));
    expect(img2img?.status).toBe('succeeded');
    expect(JSON.stringify(img2img?.input)).not.toContain('replaced-by-the-upload.png');
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return text.includes('atelier_worker_upstream_retries_total') && text;
      },
      { what: 'the worker metrics' },
    );
    expect(metrics).toMatch(new RegExp(`atelier_worker_upstream_tries_total\\{model="atelier-upstream",host="${deadHost}",outcome="network"\\} 1`));
    expect(metrics).toMatch(new RegExp(`atelier_worker_upstream_retries_total\\{model="atelier-upstream",host="${deadHost}"\\} 1`));
    expect(metrics).toMatch(new RegExp(`atelier_worker_upstream_tries_total\\{model="atelier-upstream",host="${upstreamUrl}",outcome="success"\\} 1`));
    expect(metrics).toMatch(/atelier_worker_upstream_latency_seconds_count\{model="atelier-upstream",host="[^"]+",outcome="success"\} 1/);
  });

  it('runs a workflow of the front whose checkpoint is the remote model: its sampler goes upstream', async () => {
    const answer = await front.post('/prompt', { prompt: txt2imgGraph({ checkpoint: 'atelier-upstream-txt', text: 'a blue boat', steps: 2, size: 64 }), client_id: 'remote-e2e' });
    expect(answer.status).toBe(200);
    const id = answer.body.prompt_id as string;
    const entry = await waitFor(
      async () => {
        const history = (await front.get(`/history/${id}`)).body as Record<string, { status: { status_str: string }; outputs: Record<string, { images: unknown[] }> }>;
        return history[id]?.status?.status_str ? history[id] : undefined;
      },
      { what: 'the front workflow to finish', timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(entry.status.status_str).toBe('success');
    expect(entry.outputs['9'].images).toHaveLength(1);
    const upstreamJobs = (await upstream.get('/v1/jobs?type=workflow')).body.items as Array<{ status: string; input: unknown }>;
    expect(upstreamJobs.find((j) => JSON.stringify(j.input).includes('a blue boat'))?.status).toBe('succeeded');
  });
});
