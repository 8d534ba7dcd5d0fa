import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SD15_SCHEDULER_CONFIG, SD_ONNX_IO } from './stable-diffusion-io';
import { buildTinyStableDiffusion, writeTinyStableDiffusion } from './tiny-stable-diffusion';

const HIDDEN = 32;
const VOCAB = 1000;

/** name, dtype and shape of each input or output, as onnxruntime reads them from the file. */
function signature(metadata: readonly ort.InferenceSession.ValueMetadata[]): { name: string; type?: string; shape?: readonly (number | string)[] }[] {
  return metadata.map((m) => (m.isTensor ? { name: m.name, type: m.type, shape: m.shape } : { name: m.name }));
}

function floats(data: ort.Tensor['data']): Float32Array {
  if (!(data instanceof Float32Array)) throw new Error('expected float32 data');
  return data;
}

function maxAbsDiff(a: ort.Tensor, b: ort.Tensor): number {
  const x = floats(a.data);
  const y = floats(b.data);
  return x.reduce((max, v, i) => Math.max(max, Math.abs(v - y[i])), 0);
}

const allFinite = (t: ort.Tensor) => floats(t.data).every(Number.isFinite);

/** Deterministic test data (sin of the index), so failures reproduce. */
function wave(dims: number[], phase = 0): ort.Tensor {
  const size = dims.reduce((a, b) => a * b, 1);
  return new ort.Tensor('float32', Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.37 + phase)), dims);
}

function ids(rows: number[][]): ort.Tensor {
  const data = new Int32Array(rows.length * SD_ONNX_IO.sequenceLength);
  rows.forEach((row, r) => data.set(row.slice(0, SD_ONNX_IO.sequenceLength), r * SD_ONNX_IO.sequenceLength));
  return new ort.Tensor('int32', data, [rows.length, SD_ONNX_IO.sequenceLength]);
}

describe('writeTinyStableDiffusion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-tiny-sd-'));
  const open = (file: string) => ort.InferenceSession.create(join(dir, file), { executionProviders: ['cpu'] });
  let sessions: { text: ort.InferenceSession; unet: ort.InferenceSession; decoder: ort.InferenceSession; encoder: ort.InferenceSession };

  beforeAll(async () => {
    writeTinyStableDiffusion(dir, { vocabSize: VOCAB, hiddenSize: HIDDEN });
    const [text, unet, decoder, encoder] = await Promise.all(
      [SD_ONNX_IO.textEncoder.file, SD_ONNX_IO.unet.file, SD_ONNX_IO.vaeDecoder.file, SD_ONNX_IO.vaeEncoder.file].map(open),
    );
    sessions = { text, unet, decoder, encoder };
  });
  afterAll(async () => {
    await Promise.all(Object.values(sessions ?? {}).map((s) => s.release()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the diffusers ONNX folder layout, without tokenizer files', () => {
    for (const file of [SD_ONNX_IO.textEncoder.file, SD_ONNX_IO.unet.file, SD_ONNX_IO.vaeDecoder.file, SD_ONNX_IO.vaeEncoder.file]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(dir, 'scheduler/scheduler_config.json'), 'utf8'))).toEqual(SD15_SCHEDULER_CONFIG);
    const index = JSON.parse(readFileSync(join(dir, 'model_index.json'), 'utf8'));
    expect(index._class_name).toBe('OnnxStableDiffusionPipeline');
    expect(index.unet).toEqual(['diffusers', 'OnnxRuntimeModel']);
    expect(index.scheduler).toEqual(['diffusers', 'PNDMScheduler']);
    expect(existsSync(join(dir, 'tokenizer'))).toBe(false);
  });

  it('has the export’s tensor names, dtypes and ranks', () => {
    expect(signature(sessions.text.inputMetadata)).toEqual([{ name: 'input_ids', type: 'int32', shape: ['batch', 77] }]);
    expect(signature(sessions.text.outputMetadata)).toEqual([
      { name: 'last_hidden_state', type: 'float32', shape: ['batch', 77, HIDDEN] },
      { name: 'pooler_output', type: 'float32', shape: ['batch', HIDDEN] },
    ]);
    expect(signature(sessions.unet.inputMetadata)).toEqual([
      { name: 'sample', type: 'float32', shape: ['batch', 4, 'height', 'width'] },
      { name: 'timestep', type: 'float32', shape: ['steps'] },
      { name: 'encoder_hidden_states', type: 'float32', shape: ['batch', 77, HIDDEN] },
    ]);
    expect(signature(sessions.unet.outputMetadata)).toEqual([{ name: 'out_sample', type: 'float32', shape: ['batch', 4, 'height', 'width'] }]);
    expect(sessions.decoder.inputNames).toEqual(['latent_sample']);
    expect(sessions.decoder.outputNames).toEqual(['sample']);
    expect(sessions.encoder.inputNames).toEqual(['sample']);
    expect(sessions.encoder.outputNames).toEqual(['latent_sample']);
  });

  it('text encoder: [2, 77] ids → [2, 77, hidden] and [2, hidden]; different prompts give different states', async () => {
    const { last_hidden_state: last, pooler_output: pooled } = await sessions.text.run({
      input_ids: ids([
        [VOCAB - 1, 5, 6, 7],
        [VOCAB - 1, 8, 9, 10],
      ]),
    });
    expect(last.dims).toEqual([2, 77, HIDDEN]);
    expect(pooled.dims).toEqual([2, HIDDEN]);
    expect(allFinite(last) && allFinite(pooled)).toBe(true);
    const data = floats(last.data);
    const rowSize = 77 * HIDDEN;
    const rowDiff = data.subarray(0, rowSize).reduce((max, v, i) => Math.max(max, Math.abs(v - data[rowSize + i])), 0);
    expect(rowDiff).toBeGreaterThan(0.1);
  });

  it('unet: out_sample has the sample’s shape for any batch / size and depends on sample, timestep and text', async () => {
    const text = wave([2, 77, HIDDEN]);
    const base = { sample: wave([2, 4, 8, 8]), timestep: new ort.Tensor('float32', Float32Array.of(981), [1]), encoder_hidden_states: text };
    const out = (await sessions.unet.run(base)).out_sample;
    expect(out.dims).toEqual([2, 4, 8, 8]);
    expect(allFinite(out)).toBe(true);

    const otherTime = (await sessions.unet.run({ ...base, timestep: new ort.Tensor('float32', Float32Array.of(21), [1]) })).out_sample;
    const otherText = (await sessions.unet.run({ ...base, encoder_hidden_states: wave([2, 77, HIDDEN], 1) })).out_sample;
    const otherSample = (await sessions.unet.run({ ...base, sample: wave([2, 4, 8, 8], 1) })).out_sample;
    expect(maxAbsDiff(out, otherTime)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(out, otherText)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(out, otherSample)).toBeGreaterThan(1e-3);

    const wide = await sessions.unet.run({ sample: wave([2, 4, 16, 12]), timestep: new ort.Tensor('float32', Float32Array.of(1, 501), [2]), encoder_hidden_states: text });
    expect(wide.out_sample.dims).toEqual([2, 4, 16, 12]);
  });

  it('vae: the decoder upsamples ×8 into [-1, 1]; the encoder maps back to latent size', async () => {
    for (const [h, w] of [
      [8, 8],
      [16, 12],
    ]) {
      const image = (await sessions.decoder.run({ latent_sample: wave([2, 4, h, w]) })).sample;
      expect(image.dims).toEqual([2, 3, 8 * h, 8 * w]);
      expect(floats(image.data).every((v) => v >= -1 && v <= 1)).toBe(true);
      const latent = (await sessions.encoder.run({ sample: image })).latent_sample;
      expect(latent.dims).toEqual([2, 4, h, w]);
      expect(allFinite(latent)).toBe(true);
    }
  });

  it('is byte-identical across builds, and the seed changes the weights', () => {
    const first = buildTinyStableDiffusion({ vocabSize: VOCAB, hiddenSize: HIDDEN });
    const second = buildTinyStableDiffusion({ vocabSize: VOCAB, hiddenSize: HIDDEN });
    const reseeded = buildTinyStableDiffusion({ vocabSize: VOCAB, hiddenSize: HIDDEN, seed: 2 });
    // Buffer.equals: toEqual compares large buffers element by element, slowly.
    const same = (a: Uint8Array | string | undefined, b: Uint8Array | string | undefined) => Buffer.from(a ?? '').equals(Buffer.from(b ?? ''));
    for (const [file, content] of first) {
      expect(same(second.get(file), content), file).toBe(true);
      expect(same(readFileSync(join(dir, file)), content), file).toBe(true);
    }
    expect(same(reseeded.get(SD_ONNX_IO.unet.file), first.get(SD_ONNX_IO.unet.file))).toBe(false);
  });

  it('defaults to CLIP’s 49408-token vocabulary', async () => {
    const text = buildTinyStableDiffusion().get(SD_ONNX_IO.textEncoder.file);
    if (!(text instanceof Uint8Array)) throw new Error('no text encoder');
    const session = await ort.InferenceSession.create(text, { executionProviders: ['cpu'] });
    try {
      // 49407 is <|endoftext|>, the last id.
      const { last_hidden_state: last } = await session.run({ input_ids: ids([[49406, 320, 49407]]) });
      expect(last.dims).toEqual([1, 77, 32]);
    } finally {
      await session.release();
    }
  });
});
