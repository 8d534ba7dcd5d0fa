import { type OnnxDim, type OnnxGraphBuilder, onnxTypeCode } from './onnx-graph-builder';

/** The element type of a graph's float inputs and outputs: float32, or float16 as `--fp16` exports declare them. */
export type FloatIoType = 'float32' | 'float16';

/**
 * Declares a tiny graph's float inputs and outputs in `type` while the layers compute in float32:
 * with float16, each input is cast up on entry and each output cast down on exit, so a float16
 * build has exactly the signature of a float16 export and the same layers as the float32 one.
 * With float32 nothing is added, so float32 graphs stay byte for byte as before.
 */
export class FloatIo {
  private readonly pending: Array<{ internal: string; name: string }> = [];

  constructor(
    private readonly g: OnnxGraphBuilder,
    readonly type: FloatIoType,
  ) {}

  /** Declares the input; returns the float32 value the layers read. */
  input(name: string, shape: OnnxDim[]): string {
    this.g.input(name, this.type, shape);
    return this.type === 'float32' ? name : this.g.op('Cast', [name], { to: onnxTypeCode('float32') });
  }

  /** Declares the output; returns the name the producing float32 node must write. */
  output(name: string, shape: OnnxDim[]): string {
    this.g.output(name, this.type, shape);
    if (this.type === 'float32') return name;
    const internal = `${name}_float32`;
    this.pending.push({ internal, name });
    return internal;
  }

  /** Adds the output casts; call once, after the nodes that produce the outputs. */
  finish(): void {
    for (const { internal, name } of this.pending) this.g.op('Cast', [internal], { to: onnxTypeCode(this.type) }, name);
    this.pending.length = 0;
  }
}
