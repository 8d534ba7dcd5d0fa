import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { onnx } from 'onnx-proto';
import { float16ToFloat32, float32ToFloat16 } from '../stable-diffusion/float16';
import { readSafetensors, type SafeTensor } from './safetensors';

/** The networks a Stable-Diffusion LoRA patches. */
export type LoraPart = 'unet' | 'text_encoder';

/** One low-rank update W += scale · up · down of one module's weight. */
interface LoraModule {
  part: LoraPart;
  /** The module path with dots and underscores alike written `_` (kohya's form), e.g. `mid_block_attentions_0_proj_in`. */
  key: string;
  up?: SafeTensor;
  down?: SafeTensor;
  alpha?: number;
}

/**
 * The key layouts of kohya-ss (`lora_unet_<path>.lora_down.weight`, `.lora_up.weight`, `.alpha`;
 * `lora_te_` / `lora_te1_` for the text encoder) and diffusers / PEFT (`unet.<path>.lora_A.weight`,
 * `.lora_B.weight`, or the older `.lora.down.weight` / `.lora.up.weight`; `text_encoder.`).
 */
const KEY = /^(lora_unet_|lora_te1?_|unet\.|text_encoder\.)(.+?)\.(lora_down|lora_up|lora\.down|lora\.up|lora_A|lora_B|alpha)(?:\.weight)?$/;

export function readLora(bytes: Uint8Array): LoraModule[] {
  const modules = new Map<string, LoraModule>();
  for (const [name, tensor] of readSafetensors(bytes).tensors) {
    const match = KEY.exec(name);
    if (!match) continue;
    const part: LoraPart = match[1].includes('unet') ? 'unet' : 'text_encoder';
    const key = match[2].replace(/\./g, '_');
    const module = modules.get(`${part}:${key}`) ?? { part, key };
    modules.set(`${part}:${key}`, module);
    const role = match[3];
    if (role === 'alpha') module.alpha = tensor.data[0];
    else if (role === 'lora_down' || role === 'lora.down' || role === 'lora_A') module.down = tensor;
    else module.up = tensor;
  }
  const incomplete = [...modules.values()].filter((m) => !m.up || !m.down);
  if (incomplete.length) throw new Error(`LoRA: ${incomplete.map((m) => m.key).join(', ')} lack an up or a down matrix`);
  return [...modules.values()];
}

/**
 * A copy of an ONNX model with LoRAs merged into its initializers, by module name: an
 * initializer `<path>.weight` takes the LoRA module `<path>` (dots and underscores alike).
 * A 2-D weight that feeds MatMul as its second input is stored [in, out] (the transpose of
 * PyTorch's Linear) and takes the transposed update; convolutions take the update reshaped.
 * Weights in an external data file are read from it and written inline. Returns the bytes and
 * how many modules matched; a LoRA that matches nothing in a part it patches is an error.
 */
export function mergeLoras(modelPath: string, part: LoraPart, loras: Array<{ id: string; modules: LoraModule[]; weight: number }>): { bytes: Uint8Array; merged: number } {
  const model = onnx.ModelProto.decode(readFileSync(modelPath));
  const graph = model.graph!;
  const byKey = new Map<string, onnx.ITensorProto>();
  for (const init of graph.initializer ?? []) {
    if (init.name?.endsWith('.weight')) byKey.set(init.name.slice(0, -'.weight'.length).replace(/\./g, '_'), init);
  }
  const matMulWeights = new Set((graph.node ?? []).filter((n) => n.opType === 'MatMul').map((n) => n.input?.[1]));
  let merged = 0;
  for (const lora of loras) {
    const modules = lora.modules.filter((m) => m.part === part);
    const matched = modules.filter((m) => byKey.has(m.key));
    if (modules.length > 0 && matched.length === 0) throw new Error(`LoRA ${lora.id} matches no weight of the ${part} (its modules: ${modules.slice(0, 3).map((m) => m.key).join(', ')}, …)`);
    for (const module of matched) {
      const init = byKey.get(module.key)!;
      const values = readInitializer(init, dirname(modelPath));
      addUpdate(values, init, module, lora.weight, matMulWeights.has(init.name ?? undefined));
      writeInitializer(init, values);
      merged += 1;
    }
  }
  return { bytes: onnx.ModelProto.encode(model).finish(), merged };
}

function addUpdate(values: Float32Array, init: onnx.ITensorProto, module: LoraModule, weight: number, storedTransposed: boolean): void {
  const dims = (init.dims ?? []).map(Number);
  const up = module.up!;
  const down = module.down!;
  const rank = down.shape[0];
  const out = up.shape[0];
  const inner = down.data.length / rank;
  const scale = (weight * (module.alpha ?? rank)) / rank;
  const expected = out * inner;
  if (values.length !== expected) throw new Error(`LoRA module ${module.key}: update [${out}, ${inner}] does not fit weight [${dims.join(', ')}]`);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inner; i++) {
      let sum = 0;
      for (let r = 0; r < rank; r++) sum += up.data[o * rank + r] * down.data[r * inner + i];
      const at = storedTransposed && dims.length === 2 ? i * out + o : o * inner + i;
      values[at] += scale * sum;
    }
  }
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const FLOAT16 = onnx.TensorProto.DataType.FLOAT16;

function readInitializer(init: onnx.ITensorProto, dir: string): Float32Array {
  let raw = init.rawData ?? undefined;
  if (init.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    const entry = (key: string) => init.externalData?.find((e) => e.key === key)?.value;
    const file = readFileSync(join(dir, entry('location') ?? ''));
    const offset = Number(entry('offset') ?? 0);
    raw = file.subarray(offset, offset + Number(entry('length') ?? file.length - offset));
  }
  if (init.dataType === FLOAT) {
    if (raw && raw.length) return new Float32Array(new Uint8Array(raw).buffer);
    return Float32Array.from(init.floatData ?? []);
  }
  if (init.dataType === FLOAT16) {
    if (raw && raw.length) return float16ToFloat32(new Uint16Array(new Uint8Array(raw).buffer));
    // Without raw data, float16 values sit as their bits in int32Data.
    return float16ToFloat32(Uint16Array.from(init.int32Data ?? []));
  }
  throw new Error(`LoRA: initializer ${init.name} is of ONNX type ${init.dataType}, not float or float16`);
}

function writeInitializer(init: onnx.ITensorProto, values: Float32Array): void {
  const bytes = init.dataType === FLOAT16 ? float32ToFloat16(values) : values;
  init.rawData = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  init.floatData = [];
  init.int32Data = [];
  init.externalData = [];
  init.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
}
