import { onnx } from 'onnx-proto';

/** Element types the generated models use (names as onnxruntime-node's Tensor types). */
export type OnnxElemType = 'float32' | 'float16' | 'int32' | 'int64';

/** A dimension: a fixed size, or a symbolic name such as 'batch' (dynamic at run time). */
export type OnnxDim = number | string;

/**
 * A node attribute. Plain numbers and number arrays are INT/INTS (axis, pads, strides are the
 * common case); floats must be tagged so that `alpha: 1` can never turn into an int by accident.
 */
export type OnnxAttrValue = number | number[] | string | { float: number } | { floats: number[] };

const ELEM_TYPES: Record<OnnxElemType, onnx.TensorProto.DataType> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

/** ONNX's TensorProto.DataType code of an element type, e.g. for Cast's `to`. */
export const onnxTypeCode = (type: OnnxElemType): number => ELEM_TYPES[type];

export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

/**
 * Collects a single ONNX graph (default domain, opset 17) and serializes it as a ModelProto.
 * Same calls in the same order give byte-identical output: protobuf encoding is deterministic
 * and initializers are stored as little-endian raw bytes.
 */
export class OnnxGraphBuilder {
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  input(name: string, type: OnnxElemType, shape: OnnxDim[]): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Declares a graph output; some node must produce `name` (pass it as that node's output). */
  output(name: string, type: OnnxElemType, shape: OnnxDim[]): string {
    this.outputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** A float32 constant tensor; returns its name for use as a node input. */
  floats(name: string, dims: number[], values: Float32Array | number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.tensor(name, 'float32', dims, data.length, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** An int64 constant tensor (shapes, axes); `dims` defaults to a 1-D tensor of the values. */
  int64s(name: string, values: number[], dims: number[] = [values.length]): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    return this.tensor(name, 'int64', dims, data.length, new Uint8Array(data.buffer));
  }

  /**
   * Adds a one-output node and returns the output's name: `output` when given (graph outputs),
   * otherwise a fresh generated name. An empty string in `inputs` skips an optional input.
   */
  op(opType: string, inputs: string[], attributes: Record<string, OnnxAttrValue> = {}, output?: string): string {
    const index = this.counter++;
    const out = output ?? `${opType.toLowerCase()}_${index}`;
    this.claim(out);
    this.nodes.push({
      name: `${opType}_${index}`,
      opType,
      input: inputs,
      output: [out],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return out;
  }

  toModelProto(): onnx.IModelProto {
    return {
      irVersion: ONNX_IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'atelier-model-builder',
      graph: { name: this.graphName, input: this.inputs, output: this.outputs, initializer: this.initializers, node: this.nodes },
    };
  }

  toBytes(): Uint8Array {
    return onnx.ModelProto.encode(this.toModelProto()).finish();
  }

  private tensor(name: string, type: OnnxElemType, dims: number[], length: number, rawData: Uint8Array): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (expected !== length) throw new Error(`Initializer ${name}: dims [${dims.join(', ')}] need ${expected} values, got ${length}`);
    this.claim(name);
    // Copy the bytes: the caller's typed array may be a view that changes later.
    this.initializers.push({ name, dataType: ELEM_TYPES[type], dims, rawData: rawData.slice() });
    return name;
  }

  /** Names are SSA in ONNX: a second producer of the same name is a bug in the model code. */
  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`ONNX graph ${this.graphName}: name "${name}" is already defined`);
    this.names.add(name);
  }
}

function valueInfo(name: string, type: OnnxElemType, shape: OnnxDim[]): onnx.IValueInfoProto {
  const dim = shape.map((d): onnx.TensorShapeProto.IDimension => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ELEM_TYPES[type], shape: { dim } } } };
}

function attribute(name: string, value: OnnxAttrValue): onnx.IAttributeProto {
  const Type = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`Attribute ${name}: ${value} is not an int; tag floats as { float: x }`);
    return { name, type: Type.INT, i: value };
  }
  if (typeof value === 'string') return { name, type: Type.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: Type.INTS, ints: value };
  if ('float' in value) return { name, type: Type.FLOAT, f: value.float };
  return { name, type: Type.FLOATS, floats: value.floats };
}
