import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '../models/model-registry';
import type { ModelCache } from '../runtime/model-cache';
import { MANIFESTS_DIR, prepareTestModels, removeTempDirs, testModelCache } from '../testing/test-models';
import type { GenerationJobRequest } from './generation-request';
import { ImageGenerator } from './image-generator';
import { RemoteEngines } from '../remote/remote-engines';
import { readPngText } from './output/png-parameters';

const txt2img = (over: Partial<GenerationJobRequest> = {}): GenerationJobRequest => ({
  kind: 'txt2img', model: 'pattern-cppn', prompt: 'a quiet blue harbour', negativePrompt: '', width: 96, height: 64,
  steps: 8, guidance: 7, seed: 1234, batch: 1, scheduler: 'euler', ...over,
});
const noHooks = { reportProgress: async () => undefined, isCanceled: async () => false };

describe('ImageGenerator', () => {
  let generator: ImageGenerator;
  let registry: ModelRegistry;
  let cache: ModelCache;

  beforeAll(async () => {
    const modelsDir = await prepareTestModels();
    ({ registry, cache } = testModelCache(modelsDir));
    generator = new ImageGenerator(registry, cache, {
      modelsDir, manifestsDir: MANIFESTS_DIR, executionProviders: ['cpu'], generationBatchWaitMs: 50,
    }, new RemoteEngines(registry));
  });
  afterAll(async () => {
    await cache.close();
    removeTempDirs();
  });

  it('makes a visible, deterministic, prompt-dependent PNG with the default pattern generator', async () => {
    const progress: Array<[number, number, boolean]> = [];
    const result = await generator.generate(txt2img(), { ...noHooks, reportProgress: async (s, t, preview) => void progress.push([s, t, !!preview]) });
    if (result === 'canceled') throw new Error('unexpected cancel');
    const [image] = result.images;
    const { data, info } = await sharp(image.png).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 96, height: 64, channels: 3 });
    const mean = data.reduce((s, v) => s + v, 0) / data.length;
    const spread = Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / data.length);
    expect(spread).toBeGreaterThan(20);
    expect(progress.map(([s]) => s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(progress.filter(([, , p]) => p).length).toBeGreaterThan(0);
    expect(progress.at(-1)?.[2]).toBe(false);

    const again = (await generator.generate(txt2img(), noHooks)) as Exclude<typeof result, 'canceled'>;
    expect(again.images[0].png.equals(image.png)).toBe(true);
    const other = (await generator.generate(txt2img({ prompt: 'a red desert at noon' }), noHooks)) as Exclude<typeof result, 'canceled'>;
    expect(other.images[0].png.equals(image.png)).toBe(false);
  });

  it('embeds the parameters in the PNG and gives a batch seeds seed, seed+1', async () => {
    const result = await generator.generate(txt2img({ batch: 2, negativePrompt: 'grey' }), noHooks);
    if (result === 'canceled') throw new Error('unexpected cancel');
    expect(result.images.map((i) => i.seed)).toEqual([1234, 1235]);
    const text = readPngText(result.images[1].png);
    expect(text.parameters).toContain('a quiet blue harbour\nNegative prompt: grey\nSteps: 8, Sampler: euler, CFG scale: 7, Seed: 1235, Size: 96x64, Model: pattern-cppn');
    expect(JSON.parse(text.atelier)).toMatchObject({ model: 'pattern-cppn', seed: 1235, prompt: 'a quiet blue harbour', provider: 'cpu' });
  });

  it('runs txt2img and img2img through the tiny Stable-Diffusion export, batching concurrent jobs', async () => {
    const sd = txt2img({ model: 'tiny-sd', width: 64, height: 64, steps: 4 });
    const [a, b] = await Promise.all([generator.generate(sd, noHooks), generator.generate({ ...sd, seed: 99, prompt: 'a cat' }, noHooks)]);
    if (a === 'canceled' || b === 'canceled') throw new Error('unexpected cancel');
    expect([a.batchedWith, b.batchedWith]).toEqual([2, 2]);
    const initImage = await sharp({ create: { width: 80, height: 80, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const img2img = await generator.generate({ ...sd, kind: 'img2img', strength: 0.5, initImage }, noHooks);
    if (img2img === 'canceled') throw new Error('unexpected cancel');
    expect(img2img.images[0]).toMatchObject({ width: 64, height: 64 });
    expect(readPngText(img2img.images[0].png).parameters).toContain('Denoising strength: 0.5');
  });

  it('stops between steps when the job is canceled', async () => {
    let steps = 0;
    const result = await generator.generate(txt2img({ model: 'tiny-sd', width: 64, height: 64, steps: 10 }), {
      reportProgress: async () => void steps++,
      isCanceled: async () => steps >= 3,
    });
    expect(result).toBe('canceled');
    expect(steps).toBe(3);
  });

  it('refuses unknown models and models of another pipeline with permanent errors', async () => {
    await expect(generator.generate(txt2img({ model: 'nope' }), noHooks)).rejects.toMatchObject({ code: 'UNKNOWN_MODEL', kind: 'invalid' });
    await expect(generator.generate(txt2img({ model: 'blazeface-front' }), noHooks)).rejects.toMatchObject({ code: 'MODEL_WRONG_PIPELINE' });
    await expect(generator.generate(txt2img({ kind: 'img2img', initImage: Buffer.alloc(0) }), noHooks)).rejects.toMatchObject({ code: 'MODEL_WRONG_PIPELINE' });
  });
});
