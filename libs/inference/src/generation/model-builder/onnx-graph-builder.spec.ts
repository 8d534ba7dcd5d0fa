import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from './onnx-graph-builder';

describe('OnnxGraphBuilder', () => {
  it('serializes a graph that onnxruntime runs: inputs, initializers, int and float attributes', async () => {
    const g = new OnnxGraphBuilder('test');
    const x = g.input('x', 'float32', ['batch', 3]);
    g.output('y', 'float32', ['batch', 1, 3]);
    const shifted = g.op('Add', [x, g.floats('shift', [3], [1, 2, 3])]);
    const unsqueezed = g.op('Unsqueeze', [shifted, g.int64s('axes', [1])]);
    g.op('LeakyRelu', [unsqueezed], { alpha: { float: 0.5 } }, 'y');

    const session = await ort.InferenceSession.create(g.toBytes(), { executionProviders: ['cpu'] });
    try {
      const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.of(-4, 0, 1, -2, -2, -2), [2, 3]) });
      expect(y.dims).toEqual([2, 1, 3]);
      expect(Array.from(y.data as Float32Array)).toEqual([-1.5, 2, 4, -0.5, 0, 1]);
      expect(session.inputMetadata).toEqual([{ name: 'x', isTensor: true, type: 'float32', shape: ['batch', 3] }]);
    } finally {
      await session.release();
    }
  });

  it('rejects a name defined twice, a wrongly sized initializer and an untagged float attribute', () => {
    const g = new OnnxGraphBuilder('test');
    const x = g.input('x', 'float32', [2]);
    expect(() => g.input('x', 'float32', [2])).toThrow(/already defined/);
    expect(() => g.floats('w', [2, 2], [1, 2, 3])).toThrow(/need 4 values/);
    expect(() => g.op('LeakyRelu', [x], { alpha: 0.5 })).toThrow(/not an int/);
  });
});
