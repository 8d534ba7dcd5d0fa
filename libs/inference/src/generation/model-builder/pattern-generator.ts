import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Layers } from './layers';
import { OnnxGraphBuilder } from './onnx-graph-builder';

/**
 * The built-in generator that needs no download: a CPPN (compositional pattern-producing
 * network). Every pixel's colour is a fixed random function of its coordinates and a latent
 * vector, so a latent gives a smooth, structured abstract image at any resolution, and
 * nearby latents give similar images.
 *
 * - coords float32 [pixels, 3]: (x, y, r) per pixel, row-major (see patternCoords)
 * - latent float32 [batch, 16]: e.g. N(0, 1) samples derived from prompt and seed
 * - rgb float32 [batch, pixels, 3] in [0, 1]
 */
export const PATTERN_GENERATOR_IO = {
  file: 'model.onnx',
  coords: 'coords',
  latent: 'latent',
  output: 'rgb',
  coordFeatures: 3,
  latentSize: 16,
} as const;

const WIDTH = 32;
const SEED = 0x0c99a;

export function buildPatternGenerator(): Uint8Array {
  const io = PATTERN_GENERATOR_IO;
  const g = new OnnxGraphBuilder('pattern_generator');
  const l = new Layers(g, SEED);
  const coords = g.input(io.coords, 'float32', ['pixels', io.coordFeatures]);
  const latent = g.input(io.latent, 'float32', ['batch', io.latentSize]);
  g.output(io.output, 'float32', ['batch', 'pixels', 3]);
  const perImage = g.int64s('unsqueeze_pixels', [1]);

  // First layer = a dense layer on concat(coords, latent), computed as two halves that
  // broadcast to [batch, pixels, width] (no need to tile the latent per pixel). The latent
  // also scales the coordinate half in (0.5, 1.5): it changes the pattern's frequencies too.
  const coordPart = l.linear('coords_in', coords, io.coordFeatures, WIDTH, { gain: 4, biasStd: 0 });
  const latentShift = g.op('Unsqueeze', [l.linear('latent_shift', latent, io.latentSize, WIDTH, { gain: 2 }), perImage]);
  const latentScale = g.op('Add', [g.op('Sigmoid', [l.linear('latent_scale', latent, io.latentSize, WIDTH)]), g.floats('half', [1], [0.5])]);
  const first = g.op('Tanh', [g.op('Add', [g.op('Mul', [coordPart, g.op('Unsqueeze', [latentScale, perImage])]), latentShift])]);

  // Sin layers make repeating bands and rings; Tanh layers fold them into blobs and edges.
  const second = g.op('Sin', [l.linear('hidden_1', first, WIDTH, WIDTH, { gain: 3 })]);
  const third = g.op('Tanh', [l.linear('hidden_2', second, WIDTH, WIDTH, { gain: 2 })]);
  const fourth = g.op('Sin', [l.linear('hidden_3', third, WIDTH, WIDTH, { gain: 2 })]);
  g.op('Sigmoid', [l.linear('rgb_out', fourth, WIDTH, 3, { gain: 3 })], {}, io.output);
  return g.toBytes();
}

/** Writes `dir/model.onnx` (creating dir). */
export function writePatternGenerator(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, PATTERN_GENERATOR_IO.file), buildPatternGenerator());
}

/**
 * The `coords` input for a width × height image, row-major (y outer, x inner): x and y in
 * [-1, 1] at pixel centres, r = distance from the centre. The `rgb` output has the same order.
 */
export function patternCoords(width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let py = 0; py < height; py++) {
    const y = ((py + 0.5) / height) * 2 - 1;
    for (let px = 0; px < width; px++) {
      const x = ((px + 0.5) / width) * 2 - 1;
      const i = (py * width + px) * 3;
      out[i] = x;
      out[i + 1] = y;
      out[i + 2] = Math.sqrt(x * x + y * y);
    }
  }
  return out;
}
