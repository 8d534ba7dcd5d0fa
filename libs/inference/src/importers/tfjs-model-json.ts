/** The parts of a TF.js `model.json` the importers read (layers and graph formats alike). */
export interface TfjsModelJson {
  format?: string;
  modelTopology: unknown;
  weightsManifest: TfjsWeightGroup[];
}

export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  /** Affine `q·scale + min` for uint8/uint16; IEEE half for float16. */
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

/** One decoded weight: float32 (dequantized) or int32 values in row-major order. */
export interface TfjsWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}
