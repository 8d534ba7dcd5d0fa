import * as tf from '@tensorflow/tfjs';
import type { TfjsModelJson } from '../importers/tfjs-model-json';

// Test support only: the TF.js CPU backend as the reference runtime for the importers' parity tests.

/** UpscalerJS's custom Keras layers, as its model packages define them for TF.js. */
class MultiplyBeta extends tf.layers.Layer {
  static readonly className = 'MultiplyBeta';
  private readonly beta: number;
  constructor(config: { beta?: number; name?: string }) {
    super(config);
    this.beta = config.beta ?? 0.2;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.beta);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), beta: this.beta };
  }
}

class PixelShuffle extends tf.layers.Layer {
  static readonly className = 'PixelShuffle';
  private readonly scale: number;
  constructor(config: { scale: number; name?: string }) {
    super(config);
    this.scale = config.scale;
  }
  override computeOutputShape(shape: tf.Shape): tf.Shape {
    const [n, h, w, c] = shape;
    return [n, h === null ? null : h * this.scale, w === null ? null : w * this.scale, (c as number) / this.scale ** 2];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.depthToSpace((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D, this.scale, 'NHWC');
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}

let ready: Promise<void> | undefined;
function cpuBackend(): Promise<void> {
  ready ??= (async () => {
    tf.serialization.registerClass(MultiplyBeta);
    tf.serialization.registerClass(PixelShuffle);
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  return ready;
}

function memoryHandler(model: TfjsModelJson, readShard: (path: string) => Buffer): tf.io.IOHandler {
  const weightData = Buffer.concat(model.weightsManifest.flatMap((g) => g.paths.map(readShard)));
  return tf.io.fromMemory({
    modelTopology: model.modelTopology as object,
    weightSpecs: model.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
    format: model.format,
  });
}

/** Runs a TF.js layers model on the CPU backend: NHWC input → NHWC output values. */
export async function runLayersReference(model: TfjsModelJson, readShard: (path: string) => Buffer, input: Float32Array, shape: number[]): Promise<{ data: Float32Array; shape: number[] }> {
  await cpuBackend();
  const net = await tf.loadLayersModel(memoryHandler(model, readShard));
  const x = tf.tensor(input, shape);
  const y = net.predict(x) as tf.Tensor;
  const data = (await y.data()) as Float32Array;
  const outShape = y.shape;
  tf.dispose([x, y]);
  net.dispose();
  return { data, shape: outShape };
}

/** Runs a TF.js graph model on the CPU backend; one result per requested output. */
export async function runGraphReference(
  model: TfjsModelJson,
  readShard: (path: string) => Buffer,
  inputs: Record<string, { data: Float32Array; shape: number[] }>,
  outputs: string[],
): Promise<{ data: Float32Array; shape: number[] }[]> {
  await cpuBackend();
  const net = await tf.loadGraphModel(memoryHandler(model, readShard));
  const feeds = Object.fromEntries(Object.entries(inputs).map(([name, v]) => [name, tf.tensor(v.data, v.shape)]));
  const result = (await net.executeAsync(feeds, outputs)) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(result) ? result : [result];
  const values = await Promise.all(list.map(async (t) => ({ data: (await t.data()) as Float32Array, shape: t.shape })));
  tf.dispose([...Object.values(feeds), ...list]);
  net.dispose();
  return values;
}

/** Deterministic pseudo-random values in [lo, hi) (a small LCG: tests stay reproducible). */
export function seededValues(count: number, seed: number, lo = 0, hi = 1): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return out;
}

export const nhwcToNchw = (data: Float32Array, [n, h, w, c]: number[]): Float32Array => {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[((b * c + k) * h + y) * w + x] = data[((b * h + y) * w + x) * c + k];
  return out;
};

export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};
