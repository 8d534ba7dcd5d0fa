import type { OnnxGraphBuilder } from './onnx-graph-builder';
import { SeededRandom } from './seeded-random';

export interface LayerInit {
  /** Weight std is gain / sqrt(fan_in): keeps activations O(1) whatever the layer width. */
  gain?: number;
  biasStd?: number;
}

/** Common layers with seeded random weights, named `${name}.weight` / `${name}.bias` like PyTorch's. */
export class Layers {
  private readonly rng: SeededRandom;

  constructor(
    readonly g: OnnxGraphBuilder,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
  }

  /** x[..., inFeatures] → [..., outFeatures] (MatMul broadcasts over leading dims, Gemm would not). */
  linear(name: string, x: string, inFeatures: number, outFeatures: number, init: LayerInit = {}): string {
    const weight = this.weight(`${name}.weight`, [inFeatures, outFeatures], inFeatures, init);
    return this.g.op('Add', [this.g.op('MatMul', [x, weight]), this.bias(`${name}.bias`, outFeatures, init)]);
  }

  /** NCHW convolution, square kernel; default padding keeps the size for odd kernels at stride 1. */
  conv(name: string, x: string, inChannels: number, outChannels: number, kernel: number, options: LayerInit & { stride?: number; pad?: number } = {}): string {
    const { stride = 1, pad = Math.floor(kernel / 2) } = options;
    const weight = this.weight(`${name}.weight`, [outChannels, inChannels, kernel, kernel], inChannels * kernel * kernel, options);
    return this.g.op('Conv', [x, weight, this.bias(`${name}.bias`, outChannels, options)], {
      kernel_shape: [kernel, kernel],
      strides: [stride, stride],
      pads: [pad, pad, pad, pad],
    });
  }

  /** SiLU (x·sigmoid(x)), the activation of SD's UNet and VAE; opset 17 has no SiLU op. */
  silu(x: string): string {
    return this.g.op('Mul', [x, this.g.op('Sigmoid', [x])]);
  }

  /** A random table, e.g. an embedding: N(0, std²). */
  table(name: string, dims: number[], std: number): string {
    return this.g.floats(name, dims, this.rng.normal(dims.reduce((a, b) => a * b, 1), std));
  }

  private weight(name: string, dims: number[], fanIn: number, init: LayerInit): string {
    return this.table(name, dims, (init.gain ?? 1) / Math.sqrt(fanIn));
  }

  private bias(name: string, size: number, init: LayerInit): string {
    return this.table(name, [size], init.biasStd ?? 0.1);
  }
}
