import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxGraphBuilder } from '../generation/model-builder';

/**
 * Real-ESRGAN's signature (`input` float32 [1, 3, H, W] RGB in 0..1 → `output` [1, 3, 4H, 4W]),
 * so tests and a fresh install exercise the tiled super-resolution path without downloading
 * weights; real weights replace it by configuration (docs/MODELS.md). The network is fixed,
 * not trained: a 3×3 convolution whose 16 output channels are bilinear interpolation plus an
 * unsharp mask at each sub-pixel position, then a pixel shuffle (DepthToSpace). Its receptive
 * field is one pixel, which the tiled run's overlap must cover.
 */
export const SUPER_RESOLUTION_IO = { file: 'model.onnx', input: 'input', output: 'output', scale: 4 } as const;

const SHARPEN = 0.15;

/** Kernel [3×3] for the sub-pixel at offset (u, v) from the pixel centre, in pixels. */
function subPixelKernel(u: number, v: number): number[] {
  const weights1d = (offset: number) => {
    const w = [0, 1 - Math.abs(offset), 0];
    w[offset < 0 ? 0 : 2] += Math.abs(offset);
    return w;
  };
  const wx = weights1d(u);
  const wy = weights1d(v);
  const laplacian = [0, -1, 0, -1, 4, -1, 0, -1, 0];
  return Array.from({ length: 9 }, (_, k) => wy[Math.floor(k / 3)] * wx[k % 3] + SHARPEN * laplacian[k]);
}

export function buildTinySuperResolution(): Uint8Array {
  const s = SUPER_RESOLUTION_IO.scale;
  const g = new OnnxGraphBuilder('tiny_super_resolution');
  const input = g.input(SUPER_RESOLUTION_IO.input, 'float32', [1, 3, 'height', 'width']);
  g.output(SUPER_RESOLUTION_IO.output, 'float32', [1, 3, 'out_height', 'out_width']);
  // Output channel c·s² + i·s + j is colour c at sub-pixel row i, column j (DepthToSpace CRD).
  const weights = new Float32Array(3 * s * s * 3 * 9);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        const kernel = subPixelKernel((j + 0.5) / s - 0.5, (i + 0.5) / s - 0.5);
        const oc = c * s * s + i * s + j;
        weights.set(kernel, (oc * 3 + c) * 9);
      }
    }
  }
  const w = g.floats('conv_weight', [3 * s * s, 3, 3, 3], weights);
  const conv = g.op('Conv', [input, w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const shuffled = g.op('DepthToSpace', [conv], { blocksize: s, mode: 'CRD' });
  const zero = g.floats('zero', [], [0]);
  const one = g.floats('one', [], [1]);
  g.op('Clip', [shuffled, zero, one], {}, SUPER_RESOLUTION_IO.output);
  return g.toBytes();
}

export function writeTinySuperResolution(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, SUPER_RESOLUTION_IO.file), buildTinySuperResolution());
}
