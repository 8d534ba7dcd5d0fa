import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { createInferenceSession, type InferenceSessionLogger, type SessionTuning } from '../../runtime/create-inference-session';
import { float16ToFloat32, float32ToFloat16 } from './float16';

export type Feeds = Record<string, Tensor>;

/** One ONNX network of a pipeline; the pipeline sees only this, so tests can wrap it (e.g. inject an OOM). */
export interface Net {
  readonly provider: string;
  run(feeds: Feeds): Promise<Record<string, Tensor>>;
  /** The declared element type of an input, e.g. 'int32' or 'float32'; undefined when unknown. */
  inputType(name: string): string | undefined;
  /** The declared dimensions of an input (numbers or symbolic names); undefined when the export declares none. */
  inputShape(name: string): ReadonlyArray<number | string> | undefined;
  /** The names of the declared inputs, in order. */
  readonly inputNames: readonly string[];
  /** The names of the declared outputs, in order. */
  readonly outputNames: readonly string[];
  /** Reopens the network on the CPU: the last resort after the GPU ran out of memory. */
  moveToCpu(): Promise<void>;
  release(): Promise<void>;
}

/** A Net backed by an onnxruntime session, opened with the first execution provider that works. */
export class OnnxNet implements Net {
  private constructor(
    /** A path or the model's bytes: kept to reopen it on the CPU. */
    private readonly model: string | Uint8Array,
    private session: InferenceSession,
    public provider: string,
    private readonly logger: InferenceSessionLogger,
    private readonly tuning: SessionTuning,
  ) {}

  static async open(model: string | Uint8Array, providers: string[], logger: InferenceSessionLogger, tuning: SessionTuning = {}): Promise<OnnxNet> {
    const { session, provider } = await createInferenceSession(model, providers, logger, undefined, tuning);
    return new OnnxNet(model, session, provider, logger, tuning);
  }

  /**
   * Runs the session with float32 feeds converted to the float type each input declares, and
   * float16 outputs returned as float32: the pipeline computes in float32 whatever the export.
   */
  async run(feeds: Feeds): Promise<Record<string, Tensor>> {
    const converted: Feeds = {};
    for (const [name, tensor] of Object.entries(feeds)) converted[name] = toDeclaredFloat(tensor, this.inputType(name));
    const outputs = (await this.session.run(converted)) as Record<string, Tensor>;
    for (const [name, tensor] of Object.entries(outputs)) {
      if (tensor.type === 'float16') outputs[name] = new Tensor('float32', float16ToFloat32(tensor.data as Uint16Array), tensor.dims);
    }
    return outputs;
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  inputType(name: string): string | undefined {
    const meta = this.session.inputMetadata.find((m) => m.name === name);
    return meta?.isTensor ? meta.type : undefined;
  }

  inputShape(name: string): ReadonlyArray<number | string> | undefined {
    const meta = this.session.inputMetadata.find((m) => m.name === name);
    return meta?.isTensor ? meta.shape : undefined;
  }

  async moveToCpu(): Promise<void> {
    if (this.provider === 'cpu') return;
    const { session } = await createInferenceSession(this.model, ['cpu'], this.logger, undefined, this.tuning);
    await this.session.release();
    this.session = session;
    this.provider = 'cpu';
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** True for the allocation failures CUDA, onnxruntime and the C++ allocator report. */
export function isOutOfMemory(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /out of memory|\bOOM\b|failed to allocate|CUDA_ERROR_OUT_OF_MEMORY|bad_alloc/i.test(message);
}

/** A float32 feed as the input declares it: float16 bits for a float16 input, unchanged otherwise. */
function toDeclaredFloat(tensor: Tensor, declared: string | undefined): Tensor {
  if (tensor.type === 'float32' && declared === 'float16') return new Tensor('float16', float32ToFloat16(tensor.data as Float32Array), tensor.dims);
  return tensor;
}

/** A float tensor; `dims` must multiply to `data.length`. */
export const floatTensor = (data: Float32Array, dims: number[]): Tensor => new Tensor('float32', data, dims);

/** Token ids in the element type the text encoder declares (the diffusers export uses int32, others int64). */
export function idsTensor(ids: Int32Array, dims: number[], type: string | undefined): Tensor {
  return type === 'int64' ? new Tensor('int64', BigInt64Array.from(ids, (v) => BigInt(v)), dims) : new Tensor('int32', ids, dims);
}

/**
 * The UNet's timestep as the export declares it: float32 (float16 with --fp16, converted by the
 * net) of rank 0 in optimum's current export, [1] in diffusers' conversion script and older
 * optimum, int64 in some others. An input declared without dimensions is fed as a scalar.
 */
export function timestepTensor(t: number, type: string | undefined, shape?: ReadonlyArray<number | string>): Tensor {
  const dims = shape && shape.length === 0 ? [] : [1];
  if (type === 'int64') return new Tensor('int64', BigInt64Array.from([BigInt(Math.round(t))]), dims);
  if (type === 'int32') return new Tensor('int32', Int32Array.from([Math.round(t)]), dims);
  return new Tensor('float32', Float32Array.from([t]), dims);
}
