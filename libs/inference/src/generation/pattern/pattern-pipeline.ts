import { Tensor } from 'onnxruntime-node';
import type { AfterStep, GeneratedPixels, GenerationItem, GenerationRun, GenerationShape } from '../generation-request';
import { PATTERN_GENERATOR_IO as IO, patternCoords } from '../model-builder';
import { clampByte } from '../output/latent-preview';
import type { Net } from '../stable-diffusion/onnx-net';
import { promptLatent } from './prompt-latent';

/**
 * The default generator: the CPPN renders the image in `steps` bands of rows, so a job shows the
 * same progress, previews and cancel points as a diffusion run. It is a pattern generator, not a
 * diffusion model; /v1/models says so.
 */
export class PatternPipeline {
  constructor(private readonly net: Net) {}

  get provider(): string {
    return this.net.provider;
  }

  async run(items: GenerationItem[], shape: GenerationShape, afterStep?: AfterStep): Promise<GenerationRun> {
    const { width, height } = shape;
    const bands = Math.max(1, Math.min(shape.steps, height));
    const coords = patternCoords(width, height);
    const images = items.map(() => Buffer.alloc(width * height * 3));
    let live = items.map((item, index) => ({ index, latent: promptLatent(item.prompt, item.negativePrompt, item.seed, item.guidance) }));
    for (let band = 0; band < bands && live.length > 0; band++) {
      const top = Math.floor((band * height) / bands);
      const bottom = Math.floor(((band + 1) * height) / bands);
      const pixels = (bottom - top) * width;
      const latents = new Float32Array(live.length * IO.latentSize);
      live.forEach((l, i) => latents.set(l.latent, i * IO.latentSize));
      const out = await this.net.run({
        [IO.coords]: new Tensor('float32', coords.subarray(top * width * 3, bottom * width * 3), [pixels, IO.coordFeatures]),
        [IO.latent]: new Tensor('float32', latents, [live.length, IO.latentSize]),
      });
      const rgb = out[IO.output].data as Float32Array;
      live.forEach((l, i) => {
        const target = images[l.index];
        for (let p = 0; p < pixels * 3; p++) target[top * width * 3 + p] = clampByte(rgb[i * pixels * 3 + p] * 255);
      });
      const previews = new Map(live.map((l) => [l.index, (): GeneratedPixels => ({ rgb: images[l.index], width, height })]));
      const stop = new Set(afterStep ? ((await afterStep(band + 1, bands, previews)) ?? []) : []);
      live = live.filter((l) => !stop.has(l.index));
    }
    const kept = new Set(live.map((l) => l.index));
    return {
      images: images.map((rgb, i) => (kept.has(i) ? { rgb, width, height } : null)),
      provider: this.provider,
      degradations: [],
    };
  }
}
