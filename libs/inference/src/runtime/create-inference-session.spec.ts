import { Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../models/model-registry';
import { MANIFESTS_DIR, prepareTestModels, removeTempDirs } from '../testing/test-models';
import { createInferenceSession } from './create-inference-session';

function recordingLogger() {
  const lines: string[] = [];
  return { lines, log: (m: string) => lines.push(`log ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
}

let modelPath: string;

beforeAll(async () => {
  const registry = new ModelRegistry({ manifestsDir: MANIFESTS_DIR, modelsDir: await prepareTestModels() });
  modelPath = registry.filePath('blazeface-front');
});

afterAll(removeTempDirs);

describe('createInferenceSession', () => {
  it('falls back from an unavailable CUDA to CPU, says why, and reports the provider it got', async () => {
    const logger = recordingLogger();
    const { session, provider } = await createInferenceSession(modelPath, ['cuda', 'cpu'], logger);
    expect(provider).toBe('cpu'); // this machine has no CUDA runtime
    expect(session.inputNames).toEqual(['input:0']);
    expect(session.outputNames).toEqual(['Identity:0', 'Identity_1:0', 'Identity_2:0', 'Identity_3:0']);
    expect(logger.lines[0]).toMatch(/^warn Execution provider "cuda" unavailable .*; trying "cpu"/);
    expect(logger.lines.at(-1)).toMatch(/^log Loaded .* "cpu"/);
    await session.release();
  });

  it('accepts provider names as written in env vars (spaces, capitals)', async () => {
    const { session, provider } = await createInferenceSession(modelPath, [' CPU '], recordingLogger());
    expect(provider).toBe('cpu');
    await session.release();
  });

  it('throws with every reason when no provider works', async () => {
    await expect(createInferenceSession(modelPath, ['cuda', 'no-such-provider'], recordingLogger())).rejects.toThrow(
      /any execution provider: cuda: .*; no-such-provider: /,
    );
  });

  it('applies CPU tuning (one thread, no spinning) and still runs the model', async () => {
    const { session } = await createInferenceSession(modelPath, ['cpu'], recordingLogger(), 'blazeface', { intraOpThreads: 1, allowSpinning: false });
    const input = new Tensor('float32', new Float32Array(128 * 128 * 3), [1, 128, 128, 3]);
    const out = await session.run({ 'input:0': input });
    expect(out['Identity:0'].dims).toEqual([1, 512, 1]);
    await session.release();
  });

  it('refuses an empty provider list', async () => {
    await expect(createInferenceSession(modelPath, [''], recordingLogger())).rejects.toThrow(/no execution providers/);
  });
});
