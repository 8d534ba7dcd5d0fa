import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../../testing/test-models';
import { MODEL_BUILDERS } from '../model-builders';
import { loadSdModel, releaseSdModel } from '../stable-diffusion/load-sd-model';
import { StableDiffusionPipeline } from '../stable-diffusion/sd-pipeline';
import { mergeLoras, readLora } from './lora-merge';
import { writeMergedParts } from './merged-model';
import { readSafetensors, writeSafetensors } from './safetensors';
import { buildTinyLora } from './tiny-lora';

const quiet = { log: () => undefined, warn: () => undefined };

function initializer(bytes: Uint8Array, name: string): { dims: number[]; values: Float32Array } {
  const init = onnx.ModelProto.decode(bytes).graph!.initializer!.find((i) => i.name === name)!;
  return { dims: init.dims!.map(Number), values: new Float32Array(new Uint8Array(init.rawData!).buffer) };
}

describe('safetensors', () => {
  it('reads what it writes, with the metadata, and 8-byte aligned data', () => {
    const bytes = writeSafetensors({ b: { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }, a: { shape: [], data: Float32Array.from([0.5]) } }, { note: 'x' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const { tensors, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual({ note: 'x' });
    expect(tensors.get('b')).toEqual({ dtype: 'F32', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) });
    expect(Array.from(tensors.get('a')!.data)).toEqual([0.5]);
  });

  it('widens F16 and BF16 tensors, and refuses a file whose header lies', () => {
    const header = JSON.stringify({ h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] } });
    const bytes = new Uint8Array(8 + header.length + 6);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    // float16 1.0 = 0x3c00, -2.0 = 0xc000; bfloat16 1.5 = 0x3fc0 (little-endian).
    bytes.set([0x00, 0x3c, 0x00, 0xc0, 0xc0, 0x3f], 8 + header.length);
    const { tensors } = readSafetensors(bytes);
    expect(Array.from(tensors.get('h')!.data)).toEqual([1, -2]);
    expect(Array.from(tensors.get('b')!.data)).toEqual([1.5]);
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 1))).toThrow(/does not fit its data_offsets/);
    expect(() => readSafetensors(Uint8Array.from([255, 255, 0, 0, 0, 0, 0, 0]))).toThrow(/runs past the file/);
  });
});

describe('LoRA merge into the tiny SD export', () => {
  const dir = makeTempDir('lora-sd');
  MODEL_BUILDERS['tiny-stable-diffusion'](dir);
  const lora = buildTinyLora();
  afterAll(() => removeTempDirs());

  it('adds weight · alpha/rank · up·down to each named weight, transposed for a MatMul weight', () => {
    const modules = readLora(lora);
    expect(modules.map((m) => `${m.part}:${m.key}`).sort()).toEqual(['text_encoder:mlp_fc1', 'unet:mid', 'unet:text_proj']);
    const path = join(dir, 'unet/model.onnx');
    const { bytes, merged } = mergeLoras(path, 'unet', [{ id: 'tiny-lora', modules, weight: 0.5 }]);
    expect(merged).toBe(2);
    const before = initializer(readFileSync(path), 'text_proj.weight');
    const after = initializer(bytes, 'text_proj.weight');
    expect(before.dims).toEqual([32, 32]); // [in, out]: MatMul's B
    const { up, down, alpha } = modules.find((m) => m.key === 'text_proj')!;
    const [o, i] = [3, 5];
    const update = [0, 1, 2, 3].reduce((sum, r) => sum + up!.data[o * 4 + r] * down!.data[r * 32 + i], 0);
    expect(after.values[i * 32 + o]).toBeCloseTo(before.values[i * 32 + o] + 0.5 * (alpha! / 4) * update, 5);
    const conv = initializer(bytes, 'mid.weight');
    expect(conv.dims).toEqual([32, 32, 3, 3]);
    expect(conv.values).not.toEqual(initializer(readFileSync(path), 'mid.weight').values);
  });

  it('reads the diffusers / PEFT layout as the kohya one', () => {
    const kohya = readLora(lora);
    const text = kohya.find((m) => m.key === 'text_proj')!;
    const peft = writeSafetensors({
      'unet.text_proj.lora_A.weight': { shape: text.down!.shape, data: text.down!.data },
      'unet.text_proj.lora_B.weight': { shape: text.up!.shape, data: text.up!.data },
    });
    const path = join(dir, 'unet/model.onnx');
    // PEFT files carry no alpha: scale 1, as kohya's alpha = rank.
    const a = mergeLoras(path, 'unet', [{ id: 'peft', modules: readLora(peft), weight: 1 }]).bytes;
    const b = mergeLoras(path, 'unet', [{ id: 'kohya', modules: [{ ...text, alpha: 4 }], weight: 1 }]).bytes;
    expect(initializer(a, 'text_proj.weight').values).toEqual(initializer(b, 'text_proj.weight').values);
    expect(() => mergeLoras(path, 'unet', [{ id: 'other', modules: [{ part: 'unet', key: 'down_blocks_0_resnets_0_conv1', up: text.up, down: text.down }], weight: 1 }])).toThrow(/matches no weight of the unet/);
  });

  it('changes the image at weight 1; merged at weight 0 the image is bit-identical to none', async () => {
    const shape = { width: 64, height: 48, steps: 4, scheduler: 'euler' as const };
    const item = { prompt: 'a red cat', negativePrompt: '', seed: 3, guidance: 5 };
    const loraPath = join(makeTempDir('lora-file'), 'lora.safetensors');
    writeFileSync(loraPath, lora);
    const image = async (weight?: number) => {
      const merged = weight === undefined ? undefined : writeMergedParts(dir, [{ id: 'tiny-lora', path: loraPath, weight }]);
      const model = await loadSdModel(dir, ['cpu'], quiet, {}, merged?.replacements);
      merged?.remove();
      try {
        return (await new StableDiffusionPipeline(model).run([item], shape)).images[0]!.rgb;
      } finally {
        await releaseSdModel(model);
      }
    };
    const none = await image();
    expect((await image(0)).equals(none)).toBe(true);
    expect((await image(1)).equals(none)).toBe(false);
  });
});
