import { describe, expect, it } from 'vitest';
import type { GenerationItem, GenerationRun, GenerationShape } from '../generation-request';
import { type BatchExecutor, type BatchedRequest, DynamicBatcher } from './dynamic-batcher';

const shape: GenerationShape = { width: 8, height: 8, steps: 3, scheduler: 'euler' };
const item = (seed: number, guidance = 7): GenerationItem => ({ prompt: `p${seed}`, negativePrompt: '', seed, guidance });
const pixels = (seed: number) => ({ rgb: Buffer.from([seed]), width: 1, height: 1 });

/** An executor that records each run's seeds and "draws" each item as its seed; steps call afterStep. */
function recordingExecutor(runs: number[][], stepDelayMs = 0): BatchExecutor {
  return async (items, s, _inits, afterStep) => {
    runs.push(items.map((i) => i.seed));
    const live = new Set(items.map((_, i) => i));
    for (let step = 1; step <= s.steps; step++) {
      await new Promise((r) => setTimeout(r, stepDelayMs));
      const previews = new Map([...live].map((i) => [i, () => pixels(items[i].seed)]));
      for (const stopped of await afterStep(step, s.steps, previews)) live.delete(stopped);
    }
    return { images: items.map((it, i) => (live.has(i) ? pixels(it.seed) : null)), provider: 'cpu', degradations: [] } satisfies GenerationRun;
  };
}

const request = (items: GenerationItem[], over: Partial<BatchedRequest> = {}): BatchedRequest => ({
  items,
  shape,
  onStep: async () => undefined,
  isCanceled: async () => false,
  ...over,
});

describe('DynamicBatcher', () => {
  it('merges requests that arrive within the wait into one run and splits the images back', async () => {
    const runs: number[][] = [];
    const batcher = new DynamicBatcher(recordingExecutor(runs), { maxBatch: 8, maxWaitMs: 30 });
    const [a, b] = await Promise.all([batcher.submit(request([item(1), item(2)])), batcher.submit(request([item(3)]))]);
    expect(runs).toEqual([[1, 2, 3]]);
    expect(a.images.map((i) => i!.rgb[0])).toEqual([1, 2]);
    expect(b.images.map((i) => i!.rgb[0])).toEqual([3]);
    expect([a.batchedWith, b.batchedWith]).toEqual([3, 3]);
  });

  it('never mixes shapes, schedulers or guided with unguided requests', async () => {
    const runs: number[][] = [];
    const batcher = new DynamicBatcher(recordingExecutor(runs), { maxBatch: 8, maxWaitMs: 20 });
    await Promise.all([
      batcher.submit(request([item(1)])),
      batcher.submit(request([item(2)], { shape: { ...shape, width: 16 } })),
      batcher.submit(request([item(3)], { shape: { ...shape, scheduler: 'ddim' } })),
      batcher.submit(request([item(4, 1)])),
      batcher.submit(request([item(5)])),
    ]);
    expect(runs.sort((x, y) => x[0] - y[0])).toEqual([[1, 5], [2], [3], [4]]);
  });

  it('caps a run at maxBatch and runs the rest next, without waiting once full', async () => {
    const runs: number[][] = [];
    const batcher = new DynamicBatcher(recordingExecutor(runs), { maxBatch: 3, maxWaitMs: 10_000 });
    const started = Date.now();
    await Promise.all([batcher.submit(request([item(1), item(2)])), batcher.submit(request([item(3)])), batcher.submit(request([item(4), item(5), item(6)]))]);
    expect(runs).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('batches requests that queue up while a run is busy', async () => {
    const runs: number[][] = [];
    const batcher = new DynamicBatcher(recordingExecutor(runs, 15), { maxBatch: 8, maxWaitMs: 0 });
    const first = batcher.submit(request([item(1)]));
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([first, batcher.submit(request([item(2)])), batcher.submit(request([item(3)]))]);
    expect(runs).toEqual([[1], [2, 3]]);
  });

  it('reports steps per request and drops only the canceled request from the run', async () => {
    const runs: number[][] = [];
    const batcher = new DynamicBatcher(recordingExecutor(runs), { maxBatch: 8, maxWaitMs: 20 });
    const steps: Array<[string, number, number[]]> = [];
    let cancelB = false;
    const [a, b] = await Promise.all([
      batcher.submit(request([item(1), item(2)], { onStep: async (step, _t, previews) => void steps.push(['a', step, previews.map((p) => p().rgb[0])]) })),
      batcher.submit(request([item(3)], {
        onStep: async (step) => {
          steps.push(['b', step, []]);
          cancelB = step === 1;
        },
        isCanceled: async () => cancelB,
      })),
    ]);
    expect(a).toMatchObject({ canceled: false });
    expect(a.images.map((i) => i?.rgb[0])).toEqual([1, 2]);
    expect(b).toMatchObject({ canceled: true, images: [null] });
    expect(steps.filter(([who]) => who === 'a')).toEqual([['a', 1, [1, 2]], ['a', 2, [1, 2]], ['a', 3, [1, 2]]]);
    expect(steps.filter(([who]) => who === 'b')).toEqual([['b', 1, []]]);
  });

  it('fails every request of a run whose model call fails, and keeps serving', async () => {
    let calls = 0;
    const batcher = new DynamicBatcher(async (items) => {
      if (calls++ === 0) throw new Error('model exploded');
      return { images: items.map((i) => pixels(i.seed)), provider: 'cpu', degradations: [] };
    }, { maxBatch: 8, maxWaitMs: 10 });
    const results = await Promise.allSettled([batcher.submit(request([item(1)])), batcher.submit(request([item(2)]))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.submit(request([item(3)]))).resolves.toMatchObject({ images: [{ rgb: Buffer.from([3]) }] });
  });
});
