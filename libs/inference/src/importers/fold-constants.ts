import type { TfNode } from './tf-graph-node';

/** A constant tensor during import: float32 or integer values, row-major. */
export interface ConstTensor {
  dtype: 'float32' | 'int32';
  shape: number[];
  values: Float32Array | Int32Array;
}

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Evaluates a node whose inputs are all constant, in JS, so that static sub-graphs (shape
 * arithmetic, constant reshapes) become one initializer instead of ops the importer would have
 * to translate. Returns undefined for ops it does not evaluate: those are emitted as usual.
 */
export function foldConstant(node: TfNode, ins: ConstTensor[]): ConstTensor | undefined {
  switch (node.op) {
    case 'Identity':
      return ins[0];
    case 'Cast': {
      const to = node.type('DstT');
      const float = to === 'DT_FLOAT';
      const values = float ? Float32Array.from(ins[0].values) : Int32Array.from(ins[0].values, (v) => Math.trunc(v));
      return { dtype: float ? 'float32' : 'int32', shape: ins[0].shape, values };
    }
    case 'Reshape': {
      const target = Array.from(ins[1].values);
      const known = target.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
      const shape = target.map((d) => (d < 0 ? ins[0].values.length / known : d));
      return { ...ins[0], shape };
    }
    case 'ExpandDims': {
      const axis = Number(ins[1].values[0]);
      const shape = [...ins[0].shape];
      shape.splice(axis < 0 ? axis + shape.length + 1 : axis, 0, 1);
      return { ...ins[0], shape };
    }
    case 'Squeeze': {
      const dims = node.ints('squeeze_dims', []);
      const shape = ins[0].shape.filter((d, i) => (dims.length ? !dims.includes(i) && !dims.includes(i - ins[0].shape.length) : d !== 1));
      return { ...ins[0], shape };
    }
    case 'Pack': {
      if (ins.some((t) => t.shape.length > 0)) return undefined;
      const float = ins.some((t) => t.dtype === 'float32');
      const values = float ? Float32Array.from(ins.map((t) => t.values[0])) : Int32Array.from(ins.map((t) => t.values[0]));
      return { dtype: float ? 'float32' : 'int32', shape: [ins.length], values };
    }
    case 'Add':
    case 'AddV2':
    case 'Sub':
    case 'Mul':
    case 'RealDiv':
    case 'FloorDiv':
    case 'Maximum':
    case 'Minimum':
      return elementwise(node.op, ins[0], ins[1]);
    default:
      return undefined;
  }
}

/** Broadcast binary op for a scalar and a tensor, or two tensors of one shape (what shape arithmetic uses). */
function elementwise(op: string, a: ConstTensor, b: ConstTensor): ConstTensor | undefined {
  const n = Math.max(a.values.length, b.values.length);
  if (!(a.values.length === n || a.values.length === 1) || !(b.values.length === n || b.values.length === 1)) return undefined;
  const shape = a.values.length === n ? a.shape : b.shape;
  if (count(shape) !== n) return undefined;
  const float = a.dtype === 'float32' || b.dtype === 'float32';
  const values = float ? new Float32Array(n) : new Int32Array(n);
  const f: Record<string, (x: number, y: number) => number> = {
    Add: (x, y) => x + y, AddV2: (x, y) => x + y, Sub: (x, y) => x - y, Mul: (x, y) => x * y,
    RealDiv: (x, y) => x / y, FloorDiv: (x, y) => Math.floor(x / y), Maximum: Math.max, Minimum: Math.min,
  };
  for (let i = 0; i < n; i++) values[i] = f[op](a.values[a.values.length === 1 ? 0 : i], b.values[b.values.length === 1 ? 0 : i]);
  return { dtype: float ? 'float32' : 'int32', shape, values };
}
