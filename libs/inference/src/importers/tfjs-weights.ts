import { halfToFloat } from './float16';
import type { TfjsWeight, TfjsWeightGroup, TfjsWeightSpec } from './tfjs-model-json';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/**
 * Decodes a TF.js weights manifest. Each group's shards are concatenated in manifest order and
 * must be consumed exactly: a short or long group means the shards do not belong to the
 * manifest, which is a better error than silently shifted weights. Quantized weights are
 * dequantized to float32 (uint8/uint16: `q·scale + min`; float16: IEEE half).
 */
export function decodeWeights(manifest: TfjsWeightGroup[], readShard: (path: string) => Buffer): Map<string, TfjsWeight> {
  const weights = new Map<string, TfjsWeight>();
  for (const group of manifest) {
    const data = Buffer.concat(group.paths.map(readShard));
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const storedAs = spec.quantization?.dtype ?? spec.dtype;
      const size = BYTES[storedAs];
      if (size === undefined) throw new Error(`weight ${spec.name}: unsupported dtype ${storedAs}`);
      const end = offset + count * size;
      if (end > data.length) throw new Error(`weight ${spec.name} needs bytes ${offset}..${end}, but its shards hold ${data.length}`);
      weights.set(spec.name, decodeOne(spec, data.subarray(offset, end), count));
      offset = end;
    }
    if (offset !== data.length) throw new Error(`shards ${group.paths.join(', ')} hold ${data.length} bytes, the manifest describes ${offset}`);
  }
  return weights;
}

function decodeOne(spec: TfjsWeightSpec, bytes: Buffer, count: number): TfjsWeight {
  const { name, shape } = spec;
  const q = spec.quantization;
  if (spec.dtype === 'int32' || spec.dtype === 'bool') {
    const values = new Int32Array(count);
    for (let i = 0; i < count; i++) values[i] = spec.dtype === 'bool' ? bytes[i] : bytes.readInt32LE(i * 4);
    return { name, shape, dtype: 'int32', values };
  }
  if (spec.dtype !== 'float32') throw new Error(`weight ${name}: unsupported dtype ${spec.dtype}`);
  const values = new Float32Array(count);
  if (!q) for (let i = 0; i < count; i++) values[i] = bytes.readFloatLE(i * 4);
  else if (q.dtype === 'float16') for (let i = 0; i < count; i++) values[i] = halfToFloat(bytes.readUInt16LE(i * 2));
  else {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    for (let i = 0; i < count; i++) values[i] = (q.dtype === 'uint8' ? bytes[i] : bytes.readUInt16LE(i * 2)) * scale + min;
  }
  return { name, shape, dtype: 'float32', values };
}
