import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@atelier/platform';
import { ModelRegistry } from '../../models/model-registry';
import { makeTempDir, MANIFESTS_DIR, prepareTestModels, removeTempDirs } from '../../testing/test-models';
import { ModelCache } from './model-cache';
import type { ModelCacheOptions } from './model-cache-options';
import type { ModelFiles } from './model-files';

// Real ONNX sessions on the real detector models: BlazeFace (442 KB) and M-LSD tiny (2.5 MB).
const FACE = 'blazeface-front';
const LINES = 'mlsd-tiny';

let preparedDir: string;
let registry: ModelRegistry;
const caches: ModelCache[] = [];
const quiet = { log: () => undefined, warn: () => undefined };

beforeAll(async () => {
  preparedDir = await prepareTestModels();
  registry = new ModelRegistry({ manifestsDir: MANIFESTS_DIR, modelsDir: preparedDir });
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
});
afterAll(removeTempDirs);

const sizeOf = (id: string) => registry.get(id).files.reduce((n, f) => n + f.sizeBytes, 0);

/** A models dir of its own (tests break files in it), a cache over it and a count of opener calls. */
function setup(options: Partial<ModelCacheOptions> = {}, providers = ['cpu']) {
  const modelsDir = makeTempDir('cache-models');
  for (const id of [FACE, LINES]) {
    const file = registry.get(id).files[0].name;
    mkdirSync(join(modelsDir, id), { recursive: true });
    copyFileSync(join(preparedDir, id, file), join(modelsDir, id, file));
  }
  let time = 1_000_000;
  const clock = { now: () => time, advance: (ms: number) => (time += ms) };
  const cache = new ModelCache(
    { hotBytes: 1024 ** 3, warmBytes: 1024 ** 3, idleTtlMs: 300_000, preload: [], failureCooldownMs: 30_000, ...options },
    { modelsDir, executionProviders: providers, filesOf: (id) => registry.get(id).files, now: clock.now, logger: quiet },
  );
  caches.push(cache);
  const opened: string[] = [];
  const released: string[] = [];
  const define = (id: string) =>
    cache.define(id, async (files: ModelFiles) => {
      opened.push(id);
      const { session, provider } = await files.openSession();
      return { session, provider, release: async () => { released.push(id); await session.release(); } } as { session: InferenceSession; provider: string; release(): Promise<void> };
    });
  return { cache, clock, opened, released, modelsDir, face: define(FACE), lines: define(LINES) };
}

const inputsOf = (model: { session: InferenceSession }) => Promise.resolve(model.session.inputNames);

describe('ModelCache', () => {
  it('gives a derived model (e.g. with LoRAs merged) an entry of its own over its source\'s files, with its own tier', async () => {
    const { cache } = setup();
    const seen: string[] = [];
    const derived = cache.define(`${FACE}+extra`, async (files: ModelFiles) => {
      seen.push(files.dir);
      const { session, provider } = await files.openSession();
      return { session, provider, release: () => session.release() };
    }, { from: FACE, extraBytes: 1000 });
    expect(await derived.use(inputsOf)).toEqual(['input:0']);
    expect(seen).toEqual([expect.stringMatching(new RegExp(`/${FACE}$`))]);
    expect(cache.status(`${FACE}+extra`)).toMatchObject({ state: 'hot', healthy: true });
    expect(cache.status(FACE)).toMatchObject({ state: 'cold' });
  });

  it('loads a model once for concurrent first uses, then serves it hot', async () => {
    const { cache, opened, face } = setup();
    const names = await Promise.all(Array.from({ length: 5 }, () => face.use(inputsOf)));
    expect(names).toEqual(Array.from({ length: 5 }, () => ['input:0']));
    await face.use(inputsOf);
    expect(opened).toEqual([FACE]);
    expect(cache.counters().find((c) => c.modelId === FACE)).toMatchObject({ loads: 1, misses: 5, hits: 1 });
    expect(cache.status(FACE)).toMatchObject({ state: 'hot', provider: 'cpu', healthy: true });
    expect(cache.status(LINES)).toMatchObject({ state: 'cold', healthy: true });
  });

  it('falls back from CUDA (not here) to the CPU and reports the provider it really got', async () => {
    const { cache, face } = setup({}, ['cuda', 'cpu']);
    await face.use(inputsOf);
    expect(cache.status(FACE)?.provider).toBe('cpu');
  });

  it('steps the least recently used idle model down to warm to fit the hot budget, and reloads it from RAM', async () => {
    const { cache, clock, released, modelsDir, face, lines } = setup({ hotBytes: sizeOf(LINES) + 1000 });
    await lines.use(inputsOf);
    clock.advance(10);
    await face.use(inputsOf); // LINES + FACE > budget: LINES (idle, oldest) goes
    expect(released).toEqual([LINES]);
    expect(cache.status(LINES)?.state).toBe('warm');
    expect(cache.status(FACE)?.state).toBe('hot');

    // Warm means the weights are in RAM: the disk copy is not needed to come back.
    rmSync(join(modelsDir, LINES), { recursive: true });
    clock.advance(10);
    await expect(lines.use(inputsOf)).resolves.toEqual(['input_image_with_alpha:0']);
    expect(cache.status(LINES)?.state).toBe('hot');
    expect(released).toEqual([LINES, FACE]);
  });

  it('never releases a model that is in use, even over the budget', async () => {
    const { cache, released, face, lines } = setup({ hotBytes: sizeOf(LINES) });
    let finish!: () => void;
    const busy = lines.use(() => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((r) => setTimeout(r, 50)); // LINES loaded and held
    await face.use(inputsOf);
    expect(released).toEqual([]);
    expect([cache.status(LINES)?.state, cache.status(FACE)?.state]).toEqual(['hot', 'hot']);
    finish();
    await busy;
  });

  it('keeps weights warm only within the warm budget', async () => {
    const { cache, clock, face, lines } = setup({ hotBytes: sizeOf(LINES), warmBytes: sizeOf(LINES) });
    await face.use(inputsOf);
    clock.advance(10);
    await lines.use(inputsOf); // FACE steps down to warm; both weights in RAM exceed the warm budget
    expect(cache.status(FACE)?.state).toBe('cold');
    expect(cache.status(LINES)?.state).toBe('hot');
  });

  it('unloads idle models one tier per TTL: hot → warm → cold', async () => {
    const { cache, clock, released, face } = setup({ idleTtlMs: 300_000 });
    await face.use(inputsOf);
    clock.advance(299_000);
    await cache.sweep();
    expect(cache.status(FACE)?.state).toBe('hot');
    clock.advance(2_000);
    await cache.sweep();
    expect(cache.status(FACE)?.state).toBe('warm');
    expect(released).toEqual([FACE]);
    clock.advance(300_001);
    await cache.sweep();
    expect(cache.status(FACE)?.state).toBe('cold');
    expect(cache.status(FACE)?.lastUsed).toBeInstanceOf(Date);
  });

  it('marks a corrupt model unhealthy, fails fast during the cool-down, and recovers after it', async () => {
    const { cache, opened, modelsDir, face } = setup({ failureCooldownMs: 300 });
    const file = join(modelsDir, FACE, registry.get(FACE).files[0].name);
    const good = readFileSync(file);
    writeFileSync(file, Buffer.from('this is not an ONNX model'));

    const first = await face.use(inputsOf).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DomainError);
    expect(first).toMatchObject({ kind: 'unavailable', code: 'MODEL_UNAVAILABLE' });
    expect(cache.status(FACE)).toMatchObject({ state: 'cold', healthy: false, error: expect.stringMatching(/cpu: /) });

    writeFileSync(file, good); // fixed, but the breaker is open: no load is tried yet
    const fast = await face.use(inputsOf).catch((e: unknown) => e);
    expect(fast).toMatchObject({ code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(/cool-down/) });
    expect(opened).toEqual([FACE]);

    await new Promise((r) => setTimeout(r, 350));
    await expect(face.use(inputsOf)).resolves.toEqual(['input:0']);
    expect(opened).toEqual([FACE, FACE]);
    expect(cache.status(FACE)).toMatchObject({ state: 'hot', healthy: true });
    expect(cache.status(FACE)?.error).toBeUndefined();
  });

  it('preloads the configured models and refuses an unknown id by the setting name', async () => {
    const { cache } = setup({ preload: [LINES] });
    await cache.preload();
    expect(cache.status(LINES)?.state).toBe('hot');
    const wrong = setup({ preload: ['no-such-model'] }).cache;
    await expect(wrong.preload()).rejects.toThrow(/MODEL_PRELOAD .*no-such-model/);
  });

  it('loads one model on demand and unloads it to cold, leaving a model in use alone', async () => {
    const { cache, opened, released, face, lines } = setup();
    await cache.load(LINES);
    expect(cache.status(LINES)?.state).toBe('hot');
    expect(await cache.unload(LINES)).toBe(true);
    expect(cache.status(LINES)?.state).toBe('cold'); // session and RAM weights both gone
    expect(released).toEqual([LINES]);
    expect(await cache.unload(LINES)).toBe(true); // already cold: nothing to do
    await lines.use(inputsOf);
    expect(opened).toEqual([LINES, LINES]); // loaded again from disk

    let finish!: () => void;
    const running = face.use(() => new Promise<void>((resolve) => (finish = resolve)));
    await expect.poll(() => cache.status(FACE)?.state).toBe('hot');
    expect(await cache.unload(FACE)).toBe(false);
    expect(cache.status(FACE)?.state).toBe('hot');
    finish();
    await running;
    expect(await cache.unload(FACE)).toBe(true);
    expect(cache.status(FACE)?.state).toBe('cold');
    await expect(cache.load('no-such-model')).rejects.toThrow(/no-such-model/);
  });
});
