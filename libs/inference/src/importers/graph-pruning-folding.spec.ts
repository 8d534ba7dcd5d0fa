import { onnx } from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { graphToOnnx } from './graph-to-onnx';
import type { TfjsWeight } from './tfjs-model-json';

const node = (name: string, op: string, input: string[] = [], attr: Record<string, unknown> = {}) => ({ name, op, input, attr });
const ints = (name: string, values: number[]): TfjsWeight => ({ name, shape: [values.length], dtype: 'int32', values: Int32Array.from(values) });

/** x [1, 2, 3, 1] → Reshape to a shape computed from constants (folded), plus a branch nobody asked for (pruned). */
const topology = {
  node: [
    node('x', 'Placeholder', [], { shape: { shape: { dim: [{ size: 1 }, { size: 2 }, { size: 3 }, { size: 1 }] } } }),
    node('half_shape', 'Const'),
    node('two', 'Const'),
    node('shape', 'Mul', ['half_shape', 'two']),
    node('flat', 'Reshape', ['x', 'shape']),
    node('scaled', 'Mul', ['flat', 'gain']),
    node('gain', 'Const'),
    node('unused', 'Sigmoid', ['x']),
  ],
};
const weights = new Map<string, TfjsWeight>([
  ['half_shape', ints('half_shape', [1, 3])],
  ['two', ints('two', [2, 1])],
  ['gain', { name: 'gain', shape: [], dtype: 'float32', values: Float32Array.from([10]) }],
]);

describe('graphToOnnx pruning and constant folding', () => {
  it('keeps only what the chosen output needs and folds all-constant nodes into initializers', async () => {
    const bytes = graphToOnnx(topology, weights, { graphName: 'fold', outputs: ['scaled'], outputNames: ['y'], inputName: 'x' });
    const graph = onnx.ModelProto.decode(bytes).graph!;
    const ops = graph.node!.map((n) => n.opType);
    expect(ops).not.toContain('Sigmoid');
    expect(ops.filter((op) => op === 'Mul')).toHaveLength(1); // the shape arithmetic is gone
    const shapeInit = graph.initializer!.find((t) => t.dims?.length === 1 && Number(t.dims[0]) === 2 && t.dataType === onnx.TensorProto.DataType.INT64);
    expect(shapeInit).toBeDefined();
    const raw = Buffer.from(shapeInit!.rawData!);
    expect([raw.readBigInt64LE(0), raw.readBigInt64LE(8)].map(Number)).toEqual([2, 3]);

    const session = await InferenceSession.create(bytes);
    const out = (await session.run({ x: new Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3, 1]) })).y;
    expect(out.dims).toEqual([2, 3]);
    expect(Array.from(out.data as Float32Array)).toEqual([10, 20, 30, 40, 50, 60]);
    await session.release();
  });
});
