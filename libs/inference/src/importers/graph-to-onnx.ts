import { OnnxGraphBuilder, type OnnxDim } from '../generation/model-builder';
import { foldConstant, type ConstTensor } from './fold-constants';
import { convPadding, depthwiseToOihw, hwioToOihw, transposedConvToOnnx } from './tensor-layout';
import { TfNode, type TfNodeJson, type TfTensorJson } from './tf-graph-node';
import type { TfjsWeight } from './tfjs-model-json';

export interface GraphImportOptions {
  graphName: string;
  /** Tensors to keep as graph outputs, `node` or `node:index`; by default the nodes nothing else reads. */
  outputs?: string[];
  /** ONNX names of those outputs (by default the TF names with `:`/`/` made safe). */
  outputNames?: string[];
  /** The input's fixed shape (NHWC as in the TF graph), so that shape-only sub-graphs fold away. */
  inputShape?: number[];
  inputName?: string;
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/**
 * Converts a TF.js graph model (a frozen TF graph) to ONNX. Tensors stay NHWC, as TF has them, so
 * Reshape, Squeeze, Concat and MatMul keep their TF meaning with no axis bookkeeping; each
 * convolution, pool and DepthToSpace is wrapped in NHWC⇄NCHW Transposes, which onnxruntime's
 * layout optimizer cancels between neighbours. The graph is pruned back from the chosen
 * outputs (cutting in-graph post-processing), and nodes whose inputs are all constant are
 * folded in JS before anything is emitted. An op without a rule stops the import, naming it.
 */
export function graphToOnnx(topologyJson: unknown, weights: Map<string, TfjsWeight>, options: GraphImportOptions): Uint8Array {
  const nodes = new Map(((topologyJson as { node: TfNodeJson[] }).node ?? []).map((n) => [n.name, new TfNode(n)]));
  const consumers = new Set([...nodes.values()].flatMap((n) => n.inputs.map(nodeOf)));
  const outputs = options.outputs ?? [...nodes.values()].filter((n) => !consumers.has(n.name) && n.op !== 'Const').map((n) => n.name);
  const g = new OnnxGraphBuilder(options.graphName);
  const emitter = new Emitter(g, nodes, weights, options);
  outputs.forEach((ref, i) => {
    const value = emitter.value(ref);
    if (value.kind === 'const') throw new Error(`output ${ref} is a constant`);
    const name = options.outputNames?.[i] ?? ref.replace(/[:/]/g, '_');
    g.op('Identity', [value.name], {}, name);
    g.output(name, 'float32', value.rank === 4 ? ['batch', 'd1', 'd2', 'd3'] : Array.from({ length: value.rank }, (_, k) => (k === 0 ? 'batch' : `d${k}`)));
  });
  return g.toBytes();
}

type Value = { kind: 'tensor'; name: string; rank: number } | { kind: 'const'; tensor: ConstTensor };

const nodeOf = (ref: string): string => ref.replace(/^\^/, '').replace(/:\d+$/, '');
const indexOf = (ref: string): number => Number(/:(\d+)$/.exec(ref)?.[1] ?? 0);

class Emitter {
  private readonly values = new Map<string, Value>();
  private readonly initializers = new Map<string, string>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly g: OnnxGraphBuilder,
    private readonly nodes: Map<string, TfNode>,
    private readonly weights: Map<string, TfjsWeight>,
    private readonly options: GraphImportOptions,
  ) {}

  /** The value of `ref`, emitting its node (and, first, everything it needs) on first use. */
  value(ref: string): Value {
    const key = indexOf(ref) === 0 ? nodeOf(ref) : ref;
    const known = this.values.get(key);
    if (known) return known;
    const node = this.nodes.get(nodeOf(ref));
    if (!node) throw new Error(`tensor ${ref} has no producer in the graph`);
    if (indexOf(ref) !== 0) throw new Error(`node ${node.name} (${node.op}): output ${indexOf(ref)} is not supported`);
    if (this.visiting.has(node.name)) throw new Error(`node ${node.name} is in a cycle`);
    this.visiting.add(node.name);
    const value = this.emit(node);
    this.visiting.delete(node.name);
    this.values.set(key, value);
    return value;
  }

  private emit(node: TfNode): Value {
    if (node.op === 'Const') return { kind: 'const', tensor: this.constant(node) };
    if (node.op === 'Placeholder') return this.placeholder(node);
    const ins = node.inputs.map((i) => this.value(i));
    if (ins.length && ins.every((v) => v.kind === 'const')) {
      const folded = foldConstant(node, ins.map((v) => (v as { tensor: ConstTensor }).tensor));
      if (folded) return { kind: 'const', tensor: folded };
    }
    return { kind: 'tensor', ...this.op(node, ins) };
  }

  private constant(node: TfNode): ConstTensor {
    const weight = this.weights.get(node.name);
    if (weight) return { dtype: weight.dtype, shape: weight.shape, values: weight.values };
    const inline = node.tensor('value');
    if (inline) return inlineTensor(inline, node.name);
    throw new Error(`constant ${node.name} has no value in the weights or the graph`);
  }

  private placeholder(node: TfNode): Value {
    const shape = this.options.inputShape ?? node.shape('shape') ?? [-1, -1, -1, 3];
    const dims: OnnxDim[] = shape.map((d, i) => (d >= 0 ? d : (['batch', 'height', 'width'][i] ?? `d${i}`)));
    const name = this.g.input(this.options.inputName ?? node.name.replace(/[:/]/g, '_'), 'float32', dims);
    return { kind: 'tensor', name, rank: shape.length };
  }

  /** An ONNX name for a value: constants become initializers (float32, or int64 for integers), once. */
  private ref(value: Value, hint: string): string {
    if (value.kind === 'tensor') return value.name;
    const t = value.tensor;
    const cached = this.initializers.get(hint);
    if (cached) return cached;
    const name = `${hint.replace(/[:/]/g, '_')}_${this.initializers.size}`;
    const made = t.dtype === 'float32' ? this.g.floats(name, t.shape, t.values as Float32Array) : this.g.int64s(name, Array.from(t.values), t.shape);
    this.initializers.set(hint, made);
    return made;
  }

  private floats(name: string, dims: number[], values: Float32Array | number[]): string {
    return this.g.floats(`${name.replace(/[:/]/g, '_')}_${this.initializers.size}_${dims.length}`, dims, values);
  }

  private op(node: TfNode, ins: Value[]): { name: string; rank: number } {
    const g = this.g;
    const x = () => this.ref(ins[0], `${node.inputs[0]}`);
    const arg = (i: number) => this.ref(ins[i], node.inputs[i]);
    const rank = ins[0]?.kind === 'tensor' ? ins[0].rank : (ins[0]?.kind === 'const' ? ins[0].tensor.shape.length : 0);
    const constOf = (i: number): ConstTensor => {
      const v = ins[i];
      if (v?.kind !== 'const') throw new Error(`node ${node.name} (${node.op}): input ${i} must be a constant`);
      return v.tensor;
    };
    const same = (name: string) => ({ name, rank });
    switch (node.op) {
      case 'Identity':
      case 'StopGradient':
        return same(g.op('Identity', [x()]));
      case 'Add':
      case 'AddV2':
      case 'BiasAdd':
      case 'Sub':
      case 'Mul':
      case 'RealDiv':
      case 'Maximum':
      case 'Minimum':
      case 'Pow': {
        const op = { Add: 'Add', AddV2: 'Add', BiasAdd: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div', Maximum: 'Max', Minimum: 'Min', Pow: 'Pow' }[node.op]!;
        const ranks = ins.map((v) => (v.kind === 'tensor' ? v.rank : v.tensor.shape.length));
        return { name: g.op(op, [arg(0), arg(1)]), rank: Math.max(...ranks) };
      }
      case 'AddN':
        return same(ins.slice(1).reduce((acc: string, _v, i) => g.op('Add', [acc, arg(i + 1)]), x()));
      case 'Relu':
      case 'Relu6':
      case 'Sigmoid':
      case 'Tanh':
      case 'Elu':
      case 'LeakyRelu':
        return same(this.activation(node.op, x(), node));
      case 'Prelu':
        return same(g.op('PRelu', [x(), arg(1)]));
      case 'Softmax':
        return same(g.op('Softmax', [x()], { axis: -1 }));
      case 'Conv2D':
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative':
        return same(this.conv(node, ins, x()));
      case 'Conv2DBackpropInput': {
        const outShape = Array.from(constOf(0).values);
        const filter = constOf(1);
        const laid = transposedConvToOnnx(filter.values as Float32Array, filter.shape);
        const strides = nhwcPair(node.ints('strides', [1, 1, 1, 1]));
        const nchw = g.op('Transpose', [this.ref(ins[2], node.inputs[2])], { perm: TO_NCHW });
        const attrs = { kernel_shape: filter.shape.slice(0, 2), strides, ...(node.str('padding') === 'SAME' ? { output_shape: outShape.slice(1, 3) } : {}) };
        const y = g.op('ConvTranspose', [nchw, this.floats(`${node.name}_W`, laid.dims, laid.values)], attrs);
        return { name: g.op('Transpose', [y], { perm: TO_NHWC }), rank: 4 };
      }
      case 'AvgPool':
      case 'MaxPool': {
        const k = nhwcPair(node.ints('ksize'));
        const strides = nhwcPair(node.ints('strides'));
        const nchw = g.op('Transpose', [x()], { perm: TO_NCHW });
        const y = g.op(node.op === 'AvgPool' ? 'AveragePool' : 'MaxPool', [nchw], { kernel_shape: k, strides, ...convPadding(node.str('padding'), k, strides, [1, 1]) });
        return same(g.op('Transpose', [y], { perm: TO_NHWC }));
      }
      case 'DepthToSpace': {
        const nchw = g.op('Transpose', [x()], { perm: TO_NCHW });
        const y = g.op('DepthToSpace', [nchw], { blocksize: node.int('block_size'), mode: 'DCR' });
        return same(g.op('Transpose', [y], { perm: TO_NHWC }));
      }
      case 'Squeeze': {
        const dims = node.ints('squeeze_dims', []);
        const axes = dims.map((d) => (d < 0 ? d + rank : d));
        return { name: g.op('Squeeze', axes.length ? [x(), g.int64s(`${safe(node.name)}_axes`, axes)] : [x()]), rank: rank - (axes.length || 0) };
      }
      case 'ExpandDims': {
        const axis = Number(constOf(1).values[0]);
        return { name: g.op('Unsqueeze', [x(), g.int64s(`${safe(node.name)}_axes`, [axis < 0 ? axis + rank + 1 : axis])]), rank: rank + 1 };
      }
      case 'Reshape': {
        const shape = Array.from(constOf(1).values);
        return { name: g.op('Reshape', [x(), g.int64s(`${safe(node.name)}_shape`, shape)]), rank: shape.length };
      }
      case 'Transpose': {
        const perm = Array.from(constOf(1).values);
        return same(g.op('Transpose', [x()], { perm }));
      }
      case 'ConcatV2': {
        const axis = Number(constOf(ins.length - 1).values[0]);
        const parts = ins.slice(0, -1).map((_, i) => arg(i));
        return same(g.op('Concat', parts, { axis }));
      }
      case 'Pad':
      case 'PadV2':
      case 'MirrorPad': {
        const p = Array.from(constOf(1).values);
        const pads = [...p.filter((_, i) => i % 2 === 0), ...p.filter((_, i) => i % 2 === 1)];
        const inputs = [x(), g.int64s(`${safe(node.name)}_pads`, pads)];
        if (node.op === 'PadV2') inputs.push(arg(2));
        const mode = node.op === 'MirrorPad' ? (node.str('mode') === 'REFLECT' ? 'reflect' : 'edge') : 'constant';
        return same(g.op('Pad', inputs, { mode }));
      }
      case 'MatMul':
      case '_FusedMatMul': {
        let a = x();
        let b = arg(1);
        if (node.bool('transpose_a')) a = g.op('Transpose', [a], { perm: [1, 0] });
        if (node.bool('transpose_b')) b = g.op('Transpose', [b], { perm: [1, 0] });
        let y = g.op('MatMul', [a, b]);
        if (node.op === '_FusedMatMul') y = this.fused(node, y, ins, 2);
        return { name: y, rank: 2 };
      }
      case 'Mean':
      case 'Max':
      case 'Min':
      case 'Sum': {
        const axes = Array.from(constOf(1).values).map((a) => (a < 0 ? a + rank : a));
        const keep = node.bool('keep_dims') ? 1 : 0;
        const op = { Mean: 'ReduceMean', Max: 'ReduceMax', Min: 'ReduceMin', Sum: 'ReduceSum' }[node.op]!;
        // Opset 17: ReduceSum takes axes as an input, the others as an attribute.
        const y = op === 'ReduceSum' ? g.op(op, [x(), g.int64s(`${safe(node.name)}_axes`, axes)], { keepdims: keep }) : g.op(op, [x()], { axes, keepdims: keep });
        return { name: y, rank: keep ? rank : rank - axes.length };
      }
      case 'ResizeBilinear':
      case 'ResizeNearestNeighbor': {
        const [h, w] = Array.from(constOf(1).values);
        const alignCorners = node.bool('align_corners');
        const halfPixel = node.bool('half_pixel_centers');
        const bilinear = node.op === 'ResizeBilinear';
        // Full NHWC sizes built at run time from the input's shape (no `axes`: see docs/MODELS.md).
        const shape = g.op('Shape', [x()]);
        const n = g.op('Slice', [shape, g.int64s(`${safe(node.name)}_s0`, [0]), g.int64s(`${safe(node.name)}_e0`, [1])]);
        const c = g.op('Slice', [shape, g.int64s(`${safe(node.name)}_s3`, [3]), g.int64s(`${safe(node.name)}_e3`, [4])]);
        const sizes = g.op('Concat', [n, g.int64s(`${safe(node.name)}_hw`, [h, w]), c], { axis: 0 });
        const mode = alignCorners ? 'align_corners' : halfPixel ? (bilinear ? 'half_pixel' : 'tf_half_pixel_for_nn') : 'asymmetric';
        const attrs: Record<string, string> = bilinear ? { mode: 'linear', coordinate_transformation_mode: mode } : { mode: 'nearest', coordinate_transformation_mode: mode, nearest_mode: alignCorners ? 'round_prefer_ceil' : 'floor' };
        return same(g.op('Resize', [x(), '', '', sizes], attrs));
      }
      default:
        throw new Error(`node ${node.name}: TF op ${node.op} is not supported by the graph importer`);
    }
  }

  private conv(node: TfNode, ins: Value[], x: string): string {
    const g = this.g;
    const filter = ins[1];
    if (filter.kind !== 'const') throw new Error(`node ${node.name}: a convolution filter must be constant`);
    const depthwise = node.op.includes('Depthwise');
    const f = filter.tensor;
    const laid = depthwise ? depthwiseToOihw(f.values as Float32Array, f.shape) : hwioToOihw(f.values as Float32Array, f.shape);
    const format = node.has('data_format') ? node.str('data_format') : 'NHWC';
    if (format !== 'NHWC') throw new Error(`node ${node.name}: data_format ${format} is not supported`);
    const strides = nhwcPair(node.ints('strides', [1, 1, 1, 1]));
    const dilations = nhwcPair(node.ints('dilations', [1, 1, 1, 1]));
    const k = f.shape.slice(0, 2);
    const padding = node.str('padding');
    let pad: Record<string, number[] | string> = {};
    if (padding === 'EXPLICIT') {
      const e = node.ints('explicit_paddings');
      pad = { pads: [e[2], e[4], e[3], e[5]] };
    } else pad = convPadding(padding, k, strides, dilations);
    const inputs = [g.op('Transpose', [x], { perm: TO_NCHW }), this.floats(`${node.name}_W`, laid.dims, laid.values)];
    const fusedOps = node.strs('fused_ops');
    // The bias of a fused BiasAdd goes into the Conv itself.
    if (fusedOps[0] === 'BiasAdd') inputs.push(this.ref(ins[2], node.inputs[2]));
    else if (fusedOps.length) throw new Error(`node ${node.name}: fused ops ${fusedOps.join('+')} are not supported`);
    const conv = g.op('Conv', inputs, { kernel_shape: k, strides, dilations, group: depthwise ? f.shape[2] : 1, ...pad });
    let y = g.op('Transpose', [conv], { perm: TO_NHWC });
    if (fusedOps.length > 1) y = this.activation(fusedOps[1], y, node, ins[3] ? this.ref(ins[3], node.inputs[3]) : undefined);
    return y;
  }

  /** `_FusedMatMul`'s BiasAdd (input `biasIndex`) and activation. */
  private fused(node: TfNode, y: string, ins: Value[], biasIndex: number): string {
    const ops = node.strs('fused_ops');
    let out = y;
    if (ops[0] === 'BiasAdd') out = this.g.op('Add', [out, this.ref(ins[biasIndex], node.inputs[biasIndex])]);
    else if (ops.length) throw new Error(`node ${node.name}: fused ops ${ops.join('+')} are not supported`);
    if (ops.length > 1) out = this.activation(ops[1], out, node, ins[biasIndex + 1] ? this.ref(ins[biasIndex + 1], node.inputs[biasIndex + 1]) : undefined);
    return out;
  }

  private activation(op: string, x: string, node: TfNode, alpha?: string): string {
    const g = this.g;
    switch (op) {
      case 'Relu':
        return g.op('Relu', [x]);
      case 'Relu6':
        return g.op('Clip', [x, this.floats(`${node.name}_lo`, [], [0]), this.floats(`${node.name}_hi`, [], [6])]);
      case 'Sigmoid':
        return g.op('Sigmoid', [x]);
      case 'Tanh':
        return g.op('Tanh', [x]);
      case 'Elu':
        return g.op('Elu', [x], { alpha: { float: 1 } });
      case 'LeakyRelu':
        return g.op('LeakyRelu', [x], { alpha: { float: node.has('leakyrelu_alpha') ? node.float('leakyrelu_alpha') : node.float('alpha', 0.2) } });
      case 'Prelu':
        if (!alpha) throw new Error(`node ${node.name}: Prelu without alpha`);
        return g.op('PRelu', [x, alpha]);
      default:
        throw new Error(`node ${node.name}: activation ${op} is not supported`);
    }
  }
}

/** TF's 4-element NHWC strides/ksize/dilations → the [h, w] pair. */
const nhwcPair = (v: number[]): number[] => (v.length === 4 ? [v[1], v[2]] : v);
const safe = (name: string): string => name.replace(/[:/]/g, '_');

function inlineTensor(t: TfTensorJson, name: string): ConstTensor {
  const shape = (t.tensorShape?.dim ?? []).map((d) => Number(d.size));
  const count = shape.reduce((a, b) => a * b, 1);
  const float = t.dtype === 'DT_FLOAT';
  if (t.tensorContent) {
    const bytes = Buffer.from(t.tensorContent, 'base64');
    const values = float ? new Float32Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) values[i] = float ? bytes.readFloatLE(i * 4) : t.dtype === 'DT_INT64' ? Number(bytes.readBigInt64LE(i * 8)) : bytes.readInt32LE(i * 4);
    return { dtype: float ? 'float32' : 'int32', shape, values };
  }
  const list = (float ? t.floatVal : (t.intVal ?? t.int64Val?.map(Number) ?? t.boolVal?.map(Number))) ?? [];
  if (!list.length && count) throw new Error(`constant ${name}: no values`);
  const values = float ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) values[i] = Number(list[Math.min(i, list.length - 1)]);
  return { dtype: float ? 'float32' : 'int32', shape, values };
}
