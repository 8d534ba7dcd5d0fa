import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startSystem } from './support/app-process';
import { facePhoto } from './support/face-photo';
import { HttpClient, registerUser } from './support/http-client';
import { SocketRecorder } from './support/socket-recorder';
import { TestEnvironment } from './support/test-environment';

type User = Awaited<ReturnType<typeof registerUser>>;
type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

const txt2img = (): Graph => JSON.parse(readFileSync('test/fixtures/comfy-txt2img.json', 'utf8')) as Graph;

describe('workflows: node graphs run by the worker', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let worker: AppProcess;
  let user: User;
  let socket: SocketRecorder;

  beforeAll(async () => {
    await environment.create();
    const system = await startSystem(environment.env({ PROMPT_BLOCKLIST: 'gore' }));
    ({ api, worker } = system);
    user = await registerUser(new HttpClient(system.baseUrl), 'graphs');
    socket = await SocketRecorder.connect(system.baseUrl, user.token);
  });

  afterAll(async () => {
    socket?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await environment.destroy();
  });

  const run = async (graph: Graph, extra: Record<string, unknown> = {}) => {
    const submit = await user.client.post('/v1/jobs', { type: 'workflow', input: { graph, ...extra } });
    expect(submit.status, JSON.stringify(submit.body)).toBe(202);
    await Promise.race([socket.waitFor(submit.body.id, 'job.succeeded'), socket.waitFor(submit.body.id, 'job.failed')]);
    return { submitted: submit.body, job: (await user.client.get(`/v1/jobs/${submit.body.id}`)).body };
  };

  it('lists the node catalog in ComfyUI shape, with this install\'s checkpoints', async () => {
    const nodes = await user.client.get('/v1/nodes');
    expect(nodes.status).toBe(200);
    expect(nodes.body.CheckpointLoaderSimple.input.required.ckpt_name[0]).toEqual(expect.arrayContaining(['tiny-sd', 'pattern-cppn']));
    expect(nodes.body.KSampler).toMatchObject({ output: ['LATENT'], output_node: false, category: 'sampling' });
    expect(nodes.body.SaveImage.output_node).toBe(true);
  });

  it("runs ComfyUI's txt2img graph: node events, step progress, the image saved, the cost of the same txt2img job", async () => {
    const graph = txt2img();
    const quote = await user.client.post('/v1/jobs/quote', { type: 'workflow', input: { graph } });
    const same = await user.client.post('/v1/jobs/quote', { type: 'txt2img', model: 'tiny-sd', input: { prompt: 'x', width: 64, height: 64, steps: 4 } });
    expect(quote.body.cost).toBe(same.body.cost);
    const { submitted, job } = await run(graph);
    expect(job).toMatchObject({ status: 'succeeded', type: 'workflow', cost: quote.body.cost, progress: { percent: 100 } });
    expect(job.outputs).toEqual([expect.objectContaining({ node: '9', width: 64, height: 64, imageId: expect.any(String) })]);
    const png = (await user.client.bytes(job.outputs[0].url)).bytes;
    expect(await sharp(png).metadata()).toMatchObject({ width: 64, height: 64, format: 'png' });

    const events = socket.eventsOf(submitted.id);
    const started = events.filter((e) => e.event === 'job.node.started').map((e) => e.payload.node);
    expect(new Set(started)).toEqual(new Set(['3', '4', '5', '6', '7', '8', '9']));
    expect(started.indexOf('4')).toBeLessThan(started.indexOf('3'));
    expect(events.find((e) => e.event === 'job.nodes.cached')?.payload.nodes).toEqual([]);
    const sampling = events.filter((e) => e.event === 'job.progress' && e.payload.node === '3');
    expect(sampling.at(-1)?.payload).toMatchObject({ nodeType: 'KSampler', nodeStep: 4, nodeTotalSteps: 4 });
    expect(events.find((e) => e.event === 'job.node.executed')?.payload).toMatchObject({ node: '9', nodeType: 'SaveImage', output: { images: [{ imageId: job.outputs[0].imageId }] } });
    expect(events.at(-1)?.event).toBe('job.succeeded');
  });

  it('does not compute again what did not change: a resubmitted graph comes from the cache, a new seed re-samples', async () => {
    const graph = txt2img();
    graph[3].inputs.seed = 777;
    const first = await run(graph);
    const again = await run(graph);
    expect(socket.eventsOf(again.submitted.id).find((e) => e.event === 'job.nodes.cached')?.payload.nodes).toEqual(expect.arrayContaining(['3', '4', '5', '6', '7', '8', '9']));
    expect(socket.eventsOf(again.submitted.id).filter((e) => e.event === 'job.node.started')).toEqual([]);
    expect(again.job.outputs[0].imageId).toBe(first.job.outputs[0].imageId);
    graph[3].inputs.seed = 778;
    const reseeded = await run(graph);
    const cached = socket.eventsOf(reseeded.submitted.id).find((e) => e.event === 'job.nodes.cached')?.payload.nodes as string[];
    expect(cached.sort()).toEqual(['4', '5', '6', '7']);
    expect(reseeded.job.outputs[0].imageId).not.toBe(first.job.outputs[0].imageId);
  });

  it('runs img2img and image nodes on an upload, and analysis nodes whose JSON results are outputs', async () => {
    const photo = await facePhoto();
    const upload = await user.client.upload('/v1/images', photo.bytes, 'photo.jpg', 'image/jpeg');
    const name = `${upload.body.id}.png`;
    const graph: Graph = {
      1: { class_type: 'LoadImage', inputs: { image: name } },
      2: { class_type: 'ImageScale', inputs: { image: ['1', 0], upscale_method: 'bilinear', width: 64, height: 64, crop: 'center' } },
      3: { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'tiny-sd' } },
      4: { class_type: 'VAEEncode', inputs: { pixels: ['2', 0], vae: ['3', 2] } },
      5: { class_type: 'CLIPTextEncode', inputs: { text: 'oil painting', clip: ['3', 1] } },
      6: { class_type: 'KSampler', inputs: { model: ['3', 0], seed: 1, steps: 4, cfg: 5, sampler_name: 'ddim', scheduler: 'normal', positive: ['5', 0], negative: ['5', 0], latent_image: ['4', 0], denoise: 0.5 } },
      7: { class_type: 'VAEDecode', inputs: { samples: ['6', 0], vae: ['3', 2] } },
      8: { class_type: 'ImageBlur', inputs: { image: ['7', 0], blur_radius: 1, sigma: 1 } },
      9: { class_type: 'ImageInvert', inputs: { image: ['8', 0] } },
      10: { class_type: 'SaveImage', inputs: { images: ['9', 0], filename_prefix: 'x' } },
      11: { class_type: 'AtelierDetectFaces', inputs: { image: ['1', 0] } },
    };
    const { submitted, job } = await run(graph);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.outputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ node: '10', width: 64, height: 64 }),
        { kind: 'json', data: expect.objectContaining({ node: '11', nodeType: 'AtelierDetectFaces', faces: [expect.any(Array)] }) },
      ]),
    );
    const faces = job.outputs.find((o: { kind?: string }) => o.kind === 'json').data.faces[0] as unknown[];
    expect(faces.length).toBeGreaterThanOrEqual(photo.minFaces);
    // img2img at denoise 0.5 runs half the sampler's steps.
    const steps = socket.eventsOf(submitted.id).filter((e) => e.event === 'job.progress' && e.payload.node === '6').map((e) => e.payload.nodeTotalSteps);
    expect(new Set(steps)).toEqual(new Set([2]));
  });

  it("refuses invalid graphs at submit with ComfyUI's error and node_errors, and checks their prompts", async () => {
    const graph = txt2img();
    graph[3].inputs.steps = 0;
    graph[4].inputs.ckpt_name = 'sd-9000';
    const refused = await user.client.post('/v1/jobs', { type: 'workflow', input: { graph } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'INVALID_WORKFLOW',
      details: { error: { type: 'prompt_outputs_failed_validation' }, nodeErrors: { 3: { class_type: 'KSampler', errors: [{ type: 'value_smaller_than_min' }] }, 4: { errors: [{ type: 'value_not_in_list' }] } } },
    });
    const foreign = { 1: { class_type: 'LoadImage', inputs: { image: '0190a0b0-0000-7000-8000-000000000000.png' } }, 2: { class_type: 'SaveImage', inputs: { images: ['1', 0] } } };
    expect((await user.client.post('/v1/jobs', { type: 'workflow', input: { graph: foreign } })).body.details.nodeErrors['1'].errors[0].type).toBe('custom_validation_failed');
    const blocked = txt2img();
    blocked[6].inputs.text = 'a gore scene';
    expect(await user.client.post('/v1/jobs', { type: 'workflow', input: { graph: blocked } })).toMatchObject({ status: 422, body: { code: 'BLOCKED_WORDS' } });
  });

  it('fails with the node that failed, and cancels between nodes and at sampler steps', async () => {
    const graph = txt2img();
    graph[8].inputs.samples = ['5', 0];
    const { job } = await run(graph);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'WORKFLOW_NODE_FAILED', node: '8', nodeType: 'VAEDecode' } });

    const slow = txt2img();
    slow[3].inputs.steps = 150;
    slow[5].inputs = { width: 256, height: 256, batch_size: 2 };
    const submit = await user.client.post('/v1/jobs', { type: 'workflow', input: { graph: slow } });
    await socket.waitFor(submit.body.id, 'job.node.started');
    await new Promise<void>((resolve) => {
      const check = () => (socket.eventsOf(submit.body.id).some((e) => e.event === 'job.progress' && e.payload.node === '3') ? resolve() : setTimeout(check, 20));
      check();
    });
    expect((await user.client.post(`/v1/jobs/${submit.body.id}/cancel`)).status).toBe(202);
    await socket.waitFor(submit.body.id, 'job.canceled');
    const canceled = (await user.client.get(`/v1/jobs/${submit.body.id}`)).body;
    expect(canceled.status).toBe('canceled');
    expect(socket.eventsOf(submit.body.id).some((e) => e.event === 'job.node.executed')).toBe(false);
  });
});
