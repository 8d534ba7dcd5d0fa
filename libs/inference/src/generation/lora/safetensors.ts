import { float16ToFloat32 } from '../stable-diffusion/float16';

/** One tensor of a safetensors file, widened to float32. */
export interface SafeTensor {
  dtype: string;
  shape: number[];
  data: Float32Array;
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

/**
 * Reads a safetensors file (huggingface/safetensors' format: an 8-byte little-endian header
 * length, a JSON header of `{name: {dtype, shape, data_offsets: [begin, end]}}` and
 * `__metadata__`, then the tensor bytes). Float tensors only (F32, F16, BF16, F64), which is
 * what LoRA files hold; the header is checked against the buffer before any tensor is read.
 */
export function readSafetensors(bytes: Uint8Array): { tensors: Map<string, SafeTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error('safetensors: file shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) throw new Error(`safetensors: header length ${headerLength} runs past the file (${bytes.length} bytes)`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new Error('safetensors: the header is not JSON');
  }
  const base = 8 + headerLength;
  const tensors = new Map<string, SafeTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const size = BYTES[dtype];
    if (!size) throw new Error(`safetensors: tensor ${name} has dtype ${dtype}; only F32, F16, BF16 and F64 are read`);
    const count = shape.reduce((a, b) => a * b, 1);
    const [begin, end] = offsets;
    if (end - begin !== count * size || base + end > bytes.length || begin < 0) throw new Error(`safetensors: tensor ${name} [${shape.join(', ')}] ${dtype} does not fit its data_offsets [${begin}, ${end}]`);
    // Copy out (new Uint8Array copies, a Buffer's slice would not): the bytes need not be aligned for a typed view.
    const raw = new Uint8Array(bytes.subarray(base + begin, base + end));
    tensors.set(name, { dtype, shape, data: widen(dtype, raw.buffer, count) });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string> | undefined) ?? {} };
}

function widen(dtype: string, buffer: ArrayBuffer, count: number): Float32Array {
  switch (dtype) {
    case 'F32':
      return new Float32Array(buffer, 0, count);
    case 'F64':
      return Float32Array.from(new Float64Array(buffer, 0, count));
    case 'F16':
      return float16ToFloat32(new Uint16Array(buffer, 0, count));
    default: {
      // bfloat16 is the top half of a float32.
      const halves = new Uint16Array(buffer, 0, count);
      const out = new Uint32Array(count);
      for (let i = 0; i < count; i++) out[i] = halves[i] << 16;
      return new Float32Array(out.buffer);
    }
  }
}

/** Writes float32 tensors as a safetensors file (the builders' LoRA files; tests). */
export function writeSafetensors(tensors: Record<string, { shape: number[]; data: Float32Array }>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  let offset = 0;
  const header: Record<string, unknown> = { __metadata__: metadata };
  for (const name of names) {
    const length = tensors[name].data.length * 4;
    header[name] = { dtype: 'F32', shape: tensors[name].shape, data_offsets: [offset, offset + length] };
    offset += length;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the tensor bytes start 8-byte aligned, as the reference writer does.
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const name of names) {
    const data = tensors[name].data;
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}
