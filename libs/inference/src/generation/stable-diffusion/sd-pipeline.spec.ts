import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../../testing/test-models';
import type { GenerationItem, GenerationShape } from '../generation-request';
import { RecordingNet, loadTinySd } from '../testing/tiny-sd';
import { releaseSdModel } from './load-sd-model';
import type { SdComponents } from './sd-components';
import { StableDiffusionPipeline } from './sd-pipeline';

const shape: GenerationShape = { width: 64, height: 48, steps: 6, scheduler: 'euler' };
const item = (over: Partial<GenerationItem> = {}): GenerationItem => ({ prompt: 'a red cat', negativePrompt: '', seed: 42, guidance: 7, ...over });
const maxDiff = (a: Buffer, b: Buffer) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('StableDiffusionPipeline on the tiny SD export', () => {
  let model: SdComponents;
  const withUnet = (unet: RecordingNet) => new StableDiffusionPipeline({ ...model, unet });

  beforeAll(async () => {
    model = await loadTinySd();
  });
  afterAll(async () => {
    await releaseSdModel(model);
    removeTempDirs();
  });

  it('makes the same image from the same seed and a different one from another seed', async () => {
    const pipeline = new StableDiffusionPipeline(model);
    const [a] = (await pipeline.run([item()], shape)).images;
    const [b] = (await pipeline.run([item()], shape)).images;
    const [c] = (await pipeline.run([item({ seed: 43 })], shape)).images;
    expect(a).toMatchObject({ width: 64, height: 48 });
    expect(a!.rgb.length).toBe(64 * 48 * 3);
    expect(a!.rgb.equals(b!.rgb)).toBe(true);
    expect(maxDiff(a!.rgb, c!.rgb)).toBeGreaterThan(10);
  });

  it('runs both guidance halves in one UNet call, and only the conditional half at guidance ≤ 1', async () => {
    const unet = new RecordingNet(model.unet);
    const guided = await withUnet(unet).run([item(), item({ seed: 7 })], shape);
    expect(unet.batches).toEqual(Array(shape.steps).fill(4));
    unet.batches.length = 0;
    const turbo = await withUnet(unet).run([item({ guidance: 1 })], shape);
    expect(unet.batches).toEqual(Array(shape.steps).fill(1));
    expect(maxDiff(guided.images[0]!.rgb, turbo.images[0]!.rgb)).toBeGreaterThan(0);
  });

  it('lets the prompt and the negative prompt change the image', async () => {
    const pipeline = new StableDiffusionPipeline(model);
    const run = async (over: Partial<GenerationItem>) => (await pipeline.run([item(over)], shape)).images[0]!.rgb;
    const base = await run({});
    expect(maxDiff(base, await run({ prompt: 'a blue dog at sunset' }))).toBeGreaterThan(0);
    expect(maxDiff(base, await run({ negativePrompt: 'blurry' }))).toBeGreaterThan(0);
  });

  it('gives each item of a batch the image it gets alone (seed, seed+1)', async () => {
    const pipeline = new StableDiffusionPipeline(model);
    const batch = await pipeline.run([item({ seed: 5 }), item({ seed: 6, prompt: 'a photo of the moon' })], { ...shape, scheduler: 'euler-a' });
    const alone = await pipeline.run([item({ seed: 6, prompt: 'a photo of the moon' })], { ...shape, scheduler: 'euler-a' });
    expect(maxDiff(batch.images[1]!.rgb, alone.images[0]!.rgb)).toBeLessThanOrEqual(1);
    expect(maxDiff(batch.images[0]!.rgb, batch.images[1]!.rgb)).toBeGreaterThan(10);
  });

  it('runs every scheduler', async () => {
    const pipeline = new StableDiffusionPipeline(model);
    for (const scheduler of ['euler', 'euler-a', 'ddim', 'lcm'] as const) {
      const { images } = await pipeline.run([item()], { ...shape, steps: 4, scheduler });
      expect(images[0]!.rgb.length, scheduler).toBe(64 * 48 * 3);
    }
  });

  it('img2img runs only the last strength × steps steps; strength 0 runs none', async () => {
    const init = Buffer.alloc(64 * 48 * 3, 200);
    const unet = new RecordingNet(model.unet);
    const steps = { ...shape, steps: 10 };
    await withUnet(unet).run([item()], { ...steps, strength: 0.3 }, [init]);
    expect(unet.batches).toHaveLength(3);
    unet.batches.length = 0;
    const untouched = await withUnet(unet).run([item()], { ...steps, strength: 0 }, [init]);
    expect(unet.batches).toHaveLength(0);
    const strong = await withUnet(unet).run([item()], { ...steps, strength: 1 }, [init]);
    const weak = await withUnet(unet).run([item()], { ...steps, strength: 0.2 }, [init]);
    // Less strength keeps the image nearer to the init image's round trip through the VAE.
    const distance = (rgb: Buffer) => rgb.reduce((sum, v, i) => sum + Math.abs(v - untouched.images[0]!.rgb[i]), 0);
    expect(distance(weak.images[0]!.rgb)).toBeLessThan(distance(strong.images[0]!.rgb));
  });

  it('reports every step with a latent-resolution preview and stops the items it is told to', async () => {
    const pipeline = new StableDiffusionPipeline(model);
    const seen: Array<[number, number, number[]]> = [];
    const run = await pipeline.run([item(), item({ seed: 9 })], shape, undefined, async (step, total, previews) => {
      seen.push([step, total, [...previews.keys()]]);
      const preview = previews.get(0)?.();
      if (preview) expect(preview).toMatchObject({ width: 8, height: 6 });
      return step === 2 ? [0] : [];
    });
    expect(seen.map(([s]) => s)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen[2][2]).toEqual([1]);
    expect(run.images[0]).toBeNull();
    expect(run.images[1]!.rgb.length).toBe(64 * 48 * 3);
  });

  it('on out of memory halves the batch, then moves to the CPU, and says so', async () => {
    const reference = await new StableDiffusionPipeline(model).run([item(), item({ seed: 3 })], shape);
    // A "GPU" that fails above 2 rows (one CFG pair), and at any size on its first try at 2.
    let failedAtTwo = false;
    const unet = new RecordingNet(model.unet, (rows, provider) => provider !== 'cpu' && (rows > 2 || (!failedAtTwo && (failedAtTwo = true))), 'cuda');
    const degraded = await withUnet(unet).run([item(), item({ seed: 3 })], shape);
    expect(degraded.degradations).toEqual(['unet batch 2 → 1 after out of memory', 'unet moved from cuda to cpu after out of memory at batch 1']);
    expect(degraded.provider).toBe('cpu');
    expect(maxDiff(degraded.images[0]!.rgb, reference.images[0]!.rgb)).toBeLessThanOrEqual(1);
    expect(maxDiff(degraded.images[1]!.rgb, reference.images[1]!.rgb)).toBeLessThanOrEqual(1);
  });

  it('runs a float16 export (float16 tensors, scalar timestep) and gives the float32 image up to float16 rounding', async () => {
    const half = await loadTinySd('tiny-stable-diffusion', { floatType: 'float16', vaeEncoderOutput: 'latent_parameters' });
    try {
      expect([half.unet.inputType('sample'), half.unet.inputType('timestep'), half.unet.inputShape('timestep')]).toEqual(['float16', 'float16', []]);
      // DDIM's integer timesteps are exact in float16 (Euler's fractional ones would be rounded, as on a real float16 UNet).
      const ddim = { ...shape, scheduler: 'ddim' as const };
      const full = (await new StableDiffusionPipeline(model).run([item()], ddim)).images[0]!.rgb;
      const fromHalf = (await new StableDiffusionPipeline(half).run([item()], ddim)).images[0]!.rgb;
      // Same weights; only the values crossing each network's boundary are rounded to 11 bits (a few pixels near the VAE's tanh move more).
      const meanDiff = full.reduce((sum, v, i) => sum + Math.abs(v - fromHalf[i]), 0) / full.length;
      expect(meanDiff).toBeLessThan(0.5);
      expect(fromHalf.equals(full)).toBe(false);
      // img2img through current optimum's latent_parameters output: its mean half is the latent; strength 0 decodes it as is.
      const init = Buffer.alloc(64 * 48 * 3, 90);
      const kept = await new StableDiffusionPipeline(half).run([item()], { ...ddim, strength: 0 }, [init]);
      const keptFull = await new StableDiffusionPipeline(model).run([item()], { ...ddim, strength: 0 }, [init]);
      expect(kept.images[0]!.rgb.length).toBe(64 * 48 * 3);
      expect(kept.images[0]!.rgb.equals(keptFull.images[0]!.rgb)).toBe(false); // a different encoder (8 output channels)
    } finally {
      await releaseSdModel(half);
    }
  });

  describe('inpainting (mask: white = repaint)', () => {
    const wide = { ...shape, width: 128, height: 64, steps: 4, scheduler: 'ddim' as const };
    const init = Buffer.from(Array.from({ length: 128 * 64 * 3 }, (_, i) => (i * 7) % 256));
    // Repaint the right half only.
    const mask = Buffer.from(Array.from({ length: 128 * 64 }, (_, p) => (p % 128 >= 64 ? 255 : 0)));
    const columns = (rgb: Buffer, from: number, to: number) => Buffer.concat(Array.from({ length: 64 }, (_, y) => rgb.subarray((y * 128 + from) * 3, (y * 128 + to) * 3)));

    it('with a 4-channel UNet blends the kept latents back after every step: the kept side is the untouched image', async () => {
      const pipeline = new StableDiffusionPipeline(model);
      const untouched = (await pipeline.run([item()], { ...wide, strength: 0 }, [init])).images[0]!.rgb;
      const plain = (await pipeline.run([item()], { ...wide, strength: 0.8 }, [init])).images[0]!.rgb;
      const inpainted = (await pipeline.run([item({ mask })], { ...wide, strength: 0.8 }, [init])).images[0]!.rgb;
      // The VAE decoder sees about two latent pixels around each one: the left quarter is far from the seam.
      expect(columns(inpainted, 0, 32).equals(columns(untouched, 0, 32))).toBe(true);
      expect(columns(plain, 0, 32).equals(columns(untouched, 0, 32))).toBe(false);
      expect(maxDiff(columns(inpainted, 96, 128), columns(untouched, 96, 128))).toBeGreaterThan(10);
    });

    it('with a 9-channel UNet (layout read from the export) feeds latents, mask and masked-image latents', async () => {
      const inpaint = await loadTinySd('tiny-stable-diffusion-inpaint');
      try {
        expect(inpaint.layout).toEqual({ pipelineClass: 'OnnxStableDiffusionInpaintPipeline', unetInChannels: 9 });
        expect(model.layout.unetInChannels).toBe(4);
        const channels: number[] = [];
        const unet = new RecordingNet(inpaint.unet);
        const run = unet.run.bind(unet);
        unet.run = (feeds) => (channels.push(feeds.sample.dims[1]), run(feeds));
        const pipeline = new StableDiffusionPipeline({ ...inpaint, unet });
        const masked = (await pipeline.run([item({ mask })], { ...wide, strength: 1 }, [init])).images[0]!.rgb;
        const whole = (await pipeline.run([item()], { ...wide, strength: 1 }, [init])).images[0]!.rgb;
        expect(new Set(channels)).toEqual(new Set([9]));
        expect(maxDiff(masked, whole)).toBeGreaterThan(0);
        const txt2img = await pipeline.run([item()], wide);
        expect(txt2img.images[0]!.rgb.length).toBe(128 * 64 * 3);
      } finally {
        await releaseSdModel(inpaint);
      }
    });
  });

  it('reads v-prediction from an SD 2.x export\'s scheduler config: same weights, another image than epsilon', async () => {
    const v = await loadTinySd('tiny-stable-diffusion-2-v');
    const eps = await loadTinySd('tiny-stable-diffusion', { hiddenSize: 48, seed: 3 });
    try {
      expect(v.schedulerConfig.prediction_type).toBe('v_prediction');
      const a = (await new StableDiffusionPipeline(v).run([item()], shape)).images[0]!.rgb;
      const b = (await new StableDiffusionPipeline(eps).run([item()], shape)).images[0]!.rgb;
      expect(a.length).toBe(64 * 48 * 3);
      expect(maxDiff(a, b)).toBeGreaterThan(10);
    } finally {
      await Promise.all([releaseSdModel(v), releaseSdModel(eps)]);
    }
  });

  it('refuses sizes that are not multiples of 8', async () => {
    await expect(new StableDiffusionPipeline(model).run([item()], { ...shape, width: 60 })).rejects.toThrow(/multiples of 8/);
  });
});
