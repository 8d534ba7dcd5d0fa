import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, nhwcToNchw, runLayersReference, seededValues } from '../testing/tfjs-reference';
import { importTfjsModel, readTfjsModel } from './import-tfjs-model';

const upscalerModel = (name: string) => require.resolve(`@upscalerjs/models/models/${name}/model.json`);

/**
 * Parity with the TF.js CPU backend on the same seeded input. The weights are uint8-quantized
 * in the package and dequantized the same way by both runtimes, so what is left is float
 * summation order: 1e-4 relative to the output's range is a safe bound.
 */
describe('layersToOnnx (TF.js layers → ONNX, NCHW)', () => {
  it.each([
    ['div2k/005-2x', 2, 10],
    ['idealo/gans', 4, 8],
  ])('%s matches TF.js within 1e-4 of the output range (×%d)', async (name, scale, size) => {
    const { model, readShard } = readTfjsModel(upscalerModel(name));
    const onnx = importTfjsModel(model, readShard, { format: 'tfjs-layers' }, name);
    const shape = [1, size, size, 3];
    const input = seededValues(size * size * 3, 7);
    const reference = await runLayersReference(model, readShard, input, shape);
    expect(reference.shape).toEqual([1, size * scale, size * scale, 3]);

    const session = await InferenceSession.create(onnx, { executionProviders: ['cpu'] });
    const out = await session.run({ input: new Tensor('float32', nhwcToNchw(input, shape), [1, 3, size, size]) });
    const actual = out.output;
    expect(actual.dims).toEqual([1, 3, size * scale, size * scale]);
    const expected = nhwcToNchw(reference.data, reference.shape);
    const range = Math.max(...expected) - Math.min(...expected);
    expect(range).toBeGreaterThan(0.1);
    expect(maxAbsDiff(actual.data as Float32Array, expected)).toBeLessThan(1e-4 * range);
    await session.release();
  });
});
