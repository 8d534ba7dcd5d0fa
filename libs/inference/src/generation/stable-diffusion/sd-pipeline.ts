import type { AfterStep, GeneratedPixels, GenerationItem, GenerationRun, GenerationShape, StepPreview } from '../generation-request';
import { latentsToRgb, planarToRgb, rgbToPlanar } from '../output/latent-preview';
import { createScheduler, firstStepForStrength, type Scheduler } from '../schedulers';
import { gaussianArray, seededGaussian } from '../seeded-gaussian';
import { type ChunkPolicy, runChunked } from './chunked-run';
import { floatTensor, idsTensor, timestepTensor } from './onnx-net';
import { SD_ONNX_IO as SD_IO } from '../model-builder';
import type { SdComponents } from './sd-components';
import { concat, slice } from './tensor-rows';

interface LiveItem {
  index: number;
  item: GenerationItem;
  scheduler: Scheduler;
  noise: () => number;
  latents: Float32Array;
  cond: Float32Array;
  uncond?: Float32Array;
  /** Inpainting: the latent-resolution mask (1 = repaint), the init latents and the starting noise. */
  inpaint?: { mask: Float32Array; init: Float32Array; noise: Float32Array };
  /** A 9-channel UNet's extra input: the mask and the masked image's latents, [5, h, w]. */
  unetExtra?: Float32Array;
}

/**
 * The Stable-Diffusion loop on onnxruntime, as diffusers' OnnxStableDiffusionPipeline runs it:
 * CLIP text encoding, seeded latents, a scheduler, classifier-free guidance with both halves in
 * one UNet call, and the VAE decoder. Items may come from different jobs (dynamic batching):
 * each keeps its own prompt, seed, guidance and noise stream, so a batched image equals the
 * image of the same item run alone.
 */
export class StableDiffusionPipeline {
  // Chunk sizes learnt from out-of-memory errors, kept across runs of this model.
  private readonly unetRows: ChunkPolicy = { rows: Number.MAX_SAFE_INTEGER };
  private readonly vaeRows: ChunkPolicy = { rows: Number.MAX_SAFE_INTEGER };
  private readonly textRows: ChunkPolicy = { rows: Number.MAX_SAFE_INTEGER };

  constructor(private readonly c: SdComponents) {}

  get provider(): string {
    return this.c.unet.provider;
  }

  async run(items: GenerationItem[], shape: GenerationShape, initImages?: Buffer[], afterStep?: AfterStep): Promise<GenerationRun> {
    if (shape.width % 8 || shape.height % 8) throw new Error('width and height must be multiples of 8');
    const degradations: string[] = [];
    const useCfg = items.some((i) => i.guidance > 1);
    const contexts = await this.encodeTexts(items.flatMap((i) => (useCfg ? [i.negativePrompt, i.prompt] : [i.prompt])), degradations);
    const firstStep = initImages ? firstStepForStrength(shape.steps, shape.strength ?? 0.75) : 0;
    const planarInits = initImages?.map((rgb) => rgbToPlanar(rgb, shape.height, shape.width));
    const inits = planarInits ? await this.encodeImages(planarInits, shape, degradations) : undefined;
    const unetExtras = this.c.layout.unetInChannels === 9 ? await this.inpaintingInputs(items, planarInits, shape, degradations) : undefined;
    const live: LiveItem[] = items.map((item, index) => {
      const scheduler = createScheduler(shape.scheduler, this.c.schedulerConfig, shape.steps, shape.sigmaSchedule);
      const noise = seededGaussian(item.seed);
      const start = gaussianArray(noise, 4 * (shape.height / 8) * (shape.width / 8));
      // Strength 0 runs no step: the init image comes back through the VAE untouched by noise.
      const latents = !inits ? start.map((v) => v * scheduler.initNoiseSigma) : firstStep >= shape.steps ? inits[index] : scheduler.addNoise(inits[index], start, firstStep);
      const cond = contexts[useCfg ? 2 * index + 1 : index];
      // A 4-channel UNet inpaints by blending the kept area back in after every step.
      const blend = item.mask && inits && !unetExtras ? { inpaint: { mask: latentMask(item.mask, shape), init: inits[index], noise: start } } : {};
      return { index, item, scheduler, noise, latents, cond, ...(useCfg ? { uncond: contexts[2 * index] } : {}), ...blend, ...(unetExtras ? { unetExtra: unetExtras[index] } : {}) };
    });
    const totalSteps = shape.steps - firstStep;
    let running = live;
    for (let step = firstStep; step < shape.steps && running.length > 0; step++) {
      const predictions = await this.predictNoise(running, step, shape, degradations);
      running.forEach((l, i) => (l.latents = l.scheduler.step(predictions[i], step, l.latents, l.noise)));
      for (const l of running) if (l.inpaint) l.latents = blendKept(l, step, shape.steps);
      const stop = new Set(afterStep ? ((await afterStep(step - firstStep + 1, totalSteps, new Map(running.map((l) => [l.index, previewOf(l.latents, shape)])))) ?? []) : []);
      running = running.filter((l) => !stop.has(l.index));
    }
    const decoded = await this.decode(running.map((l) => l.latents), shape, degradations);
    const images: Array<GeneratedPixels | null> = items.map(() => null);
    running.forEach((l, i) => (images[l.index] = decoded[i]));
    return { images, provider: this.provider, degradations };
  }

  /** One UNet call for all live items (both CFG halves), then the guidance mix per item. */
  private async predictNoise(items: LiveItem[], step: number, shape: GenerationShape, degradations: string[]): Promise<Float32Array[]> {
    const { unet } = this.c;
    const h = shape.height / 8;
    const w = shape.width / 8;
    const t = items[0].scheduler.timesteps[step];
    const timestep = timestepTensor(t, unet.inputType(SD_IO.unet.timestep), unet.inputShape(SD_IO.unet.timestep));
    const cfg = items[0].uncond !== undefined;
    const parts = await runChunked(unet, 'unet', items.length, this.unetRows, degradations, async (start, count) => {
      const chunk = items.slice(start, start + count);
      const scaled = chunk.map((l) => withUnetExtra(l.scheduler.scaleModelInput(l.latents, step), l.unetExtra));
      const samples = cfg ? [...scaled, ...scaled] : scaled;
      const channels = this.c.layout.unetInChannels;
      const contexts = cfg ? [...chunk.map((l) => l.uncond!), ...chunk.map((l) => l.cond)] : chunk.map((l) => l.cond);
      const hidden = contexts[0].length / SD_IO.sequenceLength;
      const out = await unet.run({
        [SD_IO.unet.sample]: floatTensor(concat(samples), [samples.length, channels, h, w]),
        [SD_IO.unet.timestep]: timestep,
        [SD_IO.unet.encoderHiddenStates]: floatTensor(concat(contexts), [contexts.length, SD_IO.sequenceLength, hidden]),
      });
      return out[SD_IO.unet.output].data as Float32Array;
    });
    const plane = 4 * h * w;
    const predictions: Float32Array[] = [];
    let offset = 0;
    for (const part of parts) {
      const rows = part.length / plane / (cfg ? 2 : 1);
      for (let r = 0; r < rows; r++) {
        const item = items[offset + r];
        const cond = slice(part, (cfg ? rows + r : r) * plane, plane);
        if (!cfg) predictions.push(cond);
        else predictions.push(guide(slice(part, r * plane, plane), cond, item.item.guidance));
      }
      offset += rows;
    }
    return predictions;
  }

  /** CLIP's last hidden state per text, [77 × hidden] each. */
  private async encodeTexts(texts: string[], degradations: string[]): Promise<Float32Array[]> {
    const { tokenizer, textEncoder } = this.c;
    const type = textEncoder.inputType(SD_IO.textEncoder.input);
    const parts = await runChunked(textEncoder, 'text encoder', texts.length, this.textRows, degradations, async (start, count) => {
      const ids = new Int32Array(count * SD_IO.sequenceLength);
      texts.slice(start, start + count).forEach((text, i) => ids.set(tokenizer.encode(text), i * SD_IO.sequenceLength));
      const out = await textEncoder.run({ [SD_IO.textEncoder.input]: idsTensor(ids, [count, SD_IO.sequenceLength], type) });
      return out[SD_IO.textEncoder.output].data as Float32Array;
    });
    return splitRows(parts, texts.length);
  }

  /**
   * A 9-channel UNet's conditioning per item, as diffusers' inpainting pipeline makes it: the
   * mask at latent resolution and the latents of the image with the repainted area blanked
   * (0 in [-1, 1]). Without a mask everything is repainted; without an image (txt2img) the
   * blank image is encoded.
   */
  private async inpaintingInputs(items: GenerationItem[], planarInits: Float32Array[] | undefined, shape: GenerationShape, degradations: string[]): Promise<Float32Array[]> {
    const pixels = shape.width * shape.height;
    const masked = items.map((item, i) => {
      const image = planarInits?.[i] ?? new Float32Array(3 * pixels);
      const mask = item.mask;
      if (!planarInits || !mask) return new Float32Array(3 * pixels);
      return image.map((v, k) => (mask[k % pixels] >= 128 ? 0 : v));
    });
    const latents = this.c.vaeEncoder ? await this.encodeImages(masked, shape, degradations) : masked.map(() => new Float32Array(4 * (pixels / 64)));
    return items.map((item, i) => {
      const mask = item.mask && planarInits ? latentMask(item.mask, shape) : new Float32Array(pixels / 64).fill(1);
      return concat([mask, latents[i]]);
    });
  }

  /** img2img: planar images in [-1, 1] through the VAE encoder, scaled into latent space. */
  private async encodeImages(planarImages: Float32Array[], shape: GenerationShape, degradations: string[]): Promise<Float32Array[]> {
    const encoder = this.c.vaeEncoder;
    if (!encoder) throw new Error('this model has no vae_encoder, so it cannot do img2img');
    const { width, height } = shape;
    const images = planarImages;
    const parts = await runChunked(encoder, 'vae encoder', images.length, this.vaeRows, degradations, async (start, count) => {
      const planar = images.slice(start, start + count);
      const out = await encoder.run({ [SD_IO.vaeEncoder.input]: floatTensor(concat(planar), [count, 3, height, width]) });
      const latents = out[SD_IO.vaeEncoder.output] ? (out[SD_IO.vaeEncoder.output].data as Float32Array) : distributionMeans(out[SD_IO.vaeEncoder.parametersOutput].data as Float32Array, count);
      return latents.map((v) => v * this.c.vaeScale);
    });
    return splitRows(parts, images.length);
  }

  private async decode(latents: Float32Array[], shape: GenerationShape, degradations: string[]): Promise<GeneratedPixels[]> {
    if (latents.length === 0) return [];
    const { vaeDecoder, vaeScale } = this.c;
    const { width, height } = shape;
    const parts = await runChunked(vaeDecoder, 'vae decoder', latents.length, this.vaeRows, degradations, async (start, count) => {
      const chunk = latents.slice(start, start + count).map((l) => l.map((v) => v / vaeScale));
      const out = await vaeDecoder.run({ [SD_IO.vaeDecoder.input]: floatTensor(concat(chunk), [count, 4, height / 8, width / 8]) });
      return out[SD_IO.vaeDecoder.output].data as Float32Array;
    });
    return splitRows(parts, latents.length).map((planar) => ({ rgb: planarToRgb(planar, height, width), width, height }));
  }
}

/** The linear latent → RGB approximation at latent resolution (1/8 of the image). */
function previewOf(latents: Float32Array, shape: GenerationShape): StepPreview {
  const height = shape.height / 8;
  const width = shape.width / 8;
  return () => ({ rgb: latentsToRgb(latents, height, width), width, height });
}

/** The repaint mask at latent resolution (1 = repaint), nearest-neighbour as diffusers resizes it. */
function latentMask(mask: Buffer, shape: GenerationShape): Float32Array {
  const h = shape.height / 8;
  const w = shape.width / 8;
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = mask[y * 8 * shape.width + x * 8] >= 128 ? 1 : 0;
  return out;
}

/**
 * Inpainting with a 4-channel UNet (diffusers' legacy path): after step i the kept area is the
 * init latents noised to step i+1's level (the clean latents after the last step), the repainted
 * area what the sampler made.
 */
function blendKept(l: LiveItem, step: number, steps: number): Float32Array {
  const { mask, init, noise } = l.inpaint!;
  const kept = step + 1 < steps ? l.scheduler.addNoise(init, noise, step + 1) : init;
  const plane = mask.length;
  return l.latents.map((v, k) => (mask[k % plane] ? v : kept[k]));
}

/** The UNet's sample: the scaled latents, then (9-channel UNets) the mask and masked-image latents. */
function withUnetExtra(latents: Float32Array, extra: Float32Array | undefined): Float32Array {
  return extra ? concat([latents, extra]) : latents;
}

/** Classifier-free guidance: uncond + g · (cond − uncond). */
function guide(uncond: Float32Array, cond: Float32Array, guidance: number): Float32Array {
  const out = new Float32Array(cond.length);
  for (let i = 0; i < cond.length; i++) out[i] = uncond[i] + guidance * (cond[i] - uncond[i]);
  return out;
}

/** The mean half of each row of a [rows, 2·C, h, w] latent distribution (mean, then log-variance): deterministic img2img. */
function distributionMeans(parameters: Float32Array, rows: number): Float32Array {
  const row = parameters.length / rows;
  return concat(Array.from({ length: rows }, (_, r) => slice(parameters, r * row, row / 2)));
}

/** Chunk outputs → one array per row. */
function splitRows(parts: Float32Array[], rows: number): Float32Array[] {
  const all = concat(parts);
  const size = all.length / rows;
  return Array.from({ length: rows }, (_, r) => slice(all, r * size, size));
}
