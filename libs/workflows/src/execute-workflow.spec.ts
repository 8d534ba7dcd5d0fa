import { describe, expect, it } from 'vitest';
import { executeWorkflow, WorkflowCanceled, WorkflowNodeError, type CachedNode, type NodeCache, type WorkflowObserver } from './execute-workflow';
import type { WorkflowGraph } from './graph';
import type { NodeRuntime } from './node-runtime';
import { validateWorkflow } from './validate-workflow';

const IMAGE = '0190a0b0-0000-7000-8000-000000000001';
const graph: WorkflowGraph = {
  1: { class_type: 'LoadImage', inputs: { image: `${IMAGE}.png` } },
  2: { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 2, sigma: 1.5 } },
  3: { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
  4: { class_type: 'SaveImage', inputs: { images: ['3', 0] } },
};
const plan = () => {
  const result = validateWorkflow(graph, { choices: { checkpoints: [], upscaleModels: [], images: [] }, ownedImages: new Set([IMAGE]) });
  if (!result.ok) throw new Error('invalid');
  return result.plan;
};

/** A runtime that records what the nodes asked for; images are tagged buffers. */
function recordingRuntime(calls: string[], options: { canceled?: boolean; failBlur?: boolean } = {}): NodeRuntime {
  const image = (tag: string) => ({ png: Buffer.from(tag), width: 8, height: 8 });
  return {
    loadImage: async (id) => (calls.push(`load ${id}`), image('loaded')),
    loadMask: async () => image('mask'),
    blur: async (input, radius, sigma) => {
      calls.push(`blur ${input.png} r${radius} s${sigma}`);
      if (options.failBlur) throw new Error('out of memory');
      return image('blurred');
    },
    invert: async (input) => (calls.push(`invert ${input.png}`), image('inverted')),
    saveImage: async (input) => (calls.push(`save ${input.png}`), { imageId: 'out-1', width: 8, height: 8 }),
    isCanceled: async () => options.canceled ?? false,
    progress: async () => undefined,
  } as Partial<NodeRuntime> as NodeRuntime;
}

const memoryCache = (): NodeCache & { map: Map<string, CachedNode> } => {
  const map = new Map<string, CachedNode>();
  return { map, get: (k) => map.get(k), set: (k, v) => void map.set(k, v) };
};

const observer = (events: string[]): WorkflowObserver => ({
  cached: async (nodes) => void events.push(`cached ${nodes.join(',')}`),
  started: async (node, type) => void events.push(`started ${node} ${type}`),
  executed: async (node, _type, ui) => void events.push(`executed ${node} ${JSON.stringify(ui)}`),
});

describe('executeWorkflow', () => {
  it('runs the nodes in dependency order, passing outputs along links, and reports output nodes', async () => {
    const calls: string[] = [];
    const events: string[] = [];
    const outputs = await executeWorkflow(graph, plan(), () => recordingRuntime(calls), memoryCache(), observer(events));
    expect(calls).toEqual([`load ${IMAGE}`, 'blur loaded r2 s1.5', 'invert blurred', 'save inverted']);
    expect(events).toEqual(['cached ', 'started 1 LoadImage', 'started 2 ImageBlur', 'started 3 ImageInvert', 'started 4 SaveImage', 'executed 4 {"images":[{"imageId":"out-1","width":8,"height":8}]}']);
    expect(outputs).toEqual([{ node: '4', classType: 'SaveImage', ui: { images: [{ imageId: 'out-1', width: 8, height: 8 }] } }]);
  });

  it('does not compute again the nodes whose inputs did not change; a changed input re-runs it and what follows', async () => {
    const cache = memoryCache();
    await executeWorkflow(graph, plan(), () => recordingRuntime([]), cache, observer([]));
    const again: string[] = [];
    const events: string[] = [];
    const outputs = await executeWorkflow(graph, plan(), () => recordingRuntime(again), cache, observer(events));
    expect(again).toEqual([]);
    expect(events[0]).toBe('cached 1,2,3,4');
    expect(outputs[0].ui.images?.[0].imageId).toBe('out-1');

    graph[2].inputs.sigma = 3;
    try {
      const changed: string[] = [];
      await executeWorkflow(graph, plan(), () => recordingRuntime(changed), cache, observer([]));
      expect(changed).toEqual(['blur loaded r2 s3', 'invert blurred', 'save inverted']);
    } finally {
      graph[2].inputs.sigma = 1.5;
    }
  });

  it('keeps the node that failed with its cause, and stops between nodes once canceled', async () => {
    const failure = executeWorkflow(graph, plan(), () => recordingRuntime([], { failBlur: true }), memoryCache(), observer([]));
    await expect(failure).rejects.toBeInstanceOf(WorkflowNodeError);
    await expect(failure).rejects.toMatchObject({ node: '2', classType: 'ImageBlur', message: 'Node 2 (ImageBlur): out of memory' });
    await expect(executeWorkflow(graph, plan(), () => recordingRuntime([], { canceled: true }), memoryCache(), observer([]))).rejects.toBeInstanceOf(WorkflowCanceled);
  });
});

describe('KSampler', () => {
  const sampling = (sampler_name: string, scheduler: string): WorkflowGraph => ({
    3: { class_type: 'KSampler', inputs: { seed: 5, steps: 4, cfg: 7, sampler_name, scheduler, denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['6', 0], latent_image: ['5', 0] } },
    4: { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'tiny-sd' } },
    5: { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    6: { class_type: 'CLIPTextEncode', inputs: { text: 'a fox', clip: ['4', 1] } },
    8: { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    9: { class_type: 'SaveImage', inputs: { filename_prefix: 'x', images: ['8', 0] } },
  });
  const runWith = async (g: WorkflowGraph, requests: unknown[]) => {
    const result = validateWorkflow(g, { choices: { checkpoints: ['tiny-sd'], upscaleModels: [], images: [] }, ownedImages: new Set() });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const runtime = {
      ...recordingRuntime([]),
      generate: async (request: unknown) => (requests.push(request), [{ png: Buffer.from('x'), width: 64, height: 64 }]),
      saveImage: async () => ({ imageId: 'out', width: 64, height: 64 }),
    } as unknown as NodeRuntime;
    return executeWorkflow(g, result.plan, () => runtime, memoryCache(), observer([]));
  };

  it("passes sampler_name and scheduler on as the pipeline's sampler and sigma schedule", async () => {
    const requests: unknown[] = [];
    await runWith(sampling('dpmpp_2m', 'karras'), requests);
    expect(requests).toEqual([expect.objectContaining({ sampler: 'dpmpp-2m', sigmaSchedule: 'karras', steps: 4 })]);
  });

  it('fails the node, before any generation, for a sampler that takes no sigma schedule but normal', async () => {
    const requests: unknown[] = [];
    await expect(runWith(sampling('ddim', 'karras'), requests)).rejects.toThrow(/ddim runs on the model's own timesteps/);
    expect(requests).toEqual([]);
  });
});
