import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCache } from '../runtime/model-cache';
import { MANIFESTS_DIR, prepareTestModels, removeTempDirs, testModelCache } from '../testing/test-models';
import { SuperResolution } from './super-resolution';

/** A 100×70 test card: a gradient with a disc and a bar, so edges and smooth areas both appear. */
async function testCard(alpha = false): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="70">
    <defs><linearGradient id="g"><stop offset="0" stop-color="#203080"/><stop offset="1" stop-color="#f0c040"/></linearGradient></defs>
    <rect width="100" height="70" fill="url(#g)" ${alpha ? 'fill-opacity="0.6"' : ''}/>
    <circle cx="35" cy="35" r="18" fill="#e03030"/><rect x="60" y="10" width="8" height="50" fill="#ffffff"/></svg>`;
  const image = sharp(Buffer.from(svg));
  return (alpha ? image : image.flatten()).png().toBuffer();
}

const raw = async (png: Buffer) => sharp(png).raw().toBuffer({ resolveWithObject: true });

describe('SuperResolution (tiny ×4 network, tiled)', () => {
  let modelsDir: string;
  let cache: ModelCache;
  const make = (tileSize: number) => {
    const { registry } = testModelCache(modelsDir);
    return new SuperResolution(registry, cache, { modelsDir, manifestsDir: MANIFESTS_DIR, executionProviders: ['cpu'], upscaleModel: 'tiny-sr', upscaleTileSize: tileSize });
  };

  beforeAll(async () => {
    modelsDir = await prepareTestModels();
    cache = testModelCache(modelsDir).cache;
  });
  afterAll(async () => {
    await cache.close();
    removeTempDirs();
  });

  it('upscales ×4 tile by tile without seams: the same pixels as one whole-image run', async () => {
    const card = await testCard();
    const progress: string[] = [];
    const tiled = await make(32).upscale(card, 4, 'tiny-sr', async (done, total) => void progress.push(`${done}/${total}`));
    const whole = await make(1000).upscale(card, 4, 'tiny-sr');
    expect(tiled).toMatchObject({ width: 400, height: 280, modelScale: 4, tiles: 12, model: 'tiny-sr', provider: 'cpu' });
    expect(whole.tiles).toBe(1);
    expect(progress).toHaveLength(12);
    expect(progress.at(-1)).toBe('12/12');
    const [a, b] = [await raw(tiled.png), await raw(whole.png)];
    let worst = 0;
    for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
    expect(worst).toBeLessThanOrEqual(1); // float rounding only
  });

  it('is faithful: shrunk back, the result matches the original', async () => {
    const card = await testCard();
    const up = await make(48).upscale(card, 4, 'tiny-sr');
    const back = await sharp(up.png).resize(100, 70, { kernel: 'cubic' }).raw().toBuffer();
    const original = (await raw(card)).data;
    let sum = 0;
    for (let i = 0; i < back.length; i++) sum += Math.abs(back[i] - original[i]);
    expect(sum / back.length).toBeLessThan(4);
  });

  it('reaches another requested scale with a Lanczos resize after the network, and keeps alpha', async () => {
    const up = await make(64).upscale(await testCard(true), 2, 'tiny-sr');
    expect(up).toMatchObject({ width: 200, height: 140, modelScale: 4 });
    const meta = await sharp(up.png).metadata();
    expect([meta.width, meta.height, meta.channels, meta.hasAlpha]).toEqual([200, 140, 4, true]);
    const { data } = await raw(up.png);
    expect(data[3]).toBeGreaterThan(140); // 0.6 opacity ≈ 153
    expect(data[3]).toBeLessThan(166);
  });

  it('upscales a greyscale image as RGB', async () => {
    const grey = await sharp(await testCard()).toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1); // one channel in the file
    const up = await make(64).upscale(grey, 4, 'tiny-sr');
    const { data, info } = await raw(up.png);
    expect([info.width, info.height, info.channels]).toEqual([400, 280, 3]);
    const back = await sharp(up.png).resize(100, 70, { kernel: 'cubic' }).greyscale().raw().toBuffer();
    const original = await sharp(grey).greyscale().raw().toBuffer();
    let sum = 0;
    for (let i = 0; i < back.length; i++) sum += Math.abs(back[i] - original[i]);
    expect(sum / back.length).toBeLessThan(4);
    expect(data[0]).toBe(data[1]); // still grey: R = G
  });

  it('refuses an UPSCALE_MODEL that is not an upscale model, by name', () => {
    const { registry } = testModelCache(modelsDir);
    expect(() => new SuperResolution(registry, cache, { modelsDir, manifestsDir: MANIFESTS_DIR, executionProviders: ['cpu'], upscaleModel: 'mlsd-tiny' })).toThrow(/UPSCALE_MODEL names "mlsd-tiny"/);
  });
});
