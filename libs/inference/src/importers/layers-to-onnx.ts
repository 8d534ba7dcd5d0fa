import { OnnxGraphBuilder, type OnnxDim } from '../generation/model-builder';
import { convPadding, depthwiseToOihw, hwioToOihw } from './tensor-layout';
import type { TfjsWeight } from './tfjs-model-json';

/** A Keras layer as TF.js's layers format stores it. */
interface KerasLayer {
  class_name: string;
  name?: string;
  config: Record<string, unknown> & { name: string };
  inbound_nodes?: [string, number, number, unknown][][];
}

interface KerasTopology {
  model_config?: { class_name: string; config: KerasModelConfig };
  class_name?: string;
  config?: KerasModelConfig;
}

interface KerasModelConfig {
  layers: KerasLayer[];
  input_layers?: [string, number, number][];
  output_layers?: [string, number, number][];
}

export interface LayersImportOptions {
  graphName: string;
  inputName?: string;
  outputName?: string;
  /** The network sees `input · inputScale` (e.g. 255 for a model trained on 0..255 pixels). */
  inputScale?: number;
  /** The ONNX output is the network's output times this (e.g. 1/255). */
  outputScale?: number;
}

/** A 4-D NHWC axis (Keras `axis`, possibly negative) as the NCHW axis the ONNX graph uses. */
const NCHW_AXIS = [0, 2, 3, 1];
function nchwAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  return rank === 4 ? NCHW_AXIS[a] : a;
}

/**
 * Converts a TF.js layers (Keras functional or Sequential) image model to ONNX, in NCHW: image
 * tensors are channels-first throughout, so no Transposes are needed — the weights are
 * re-laid (HWIO → OIHW) and channel axes remapped instead. Covers the convolutional layers
 * super-resolution and classification models use, including UpscalerJS's custom MultiplyBeta
 * and PixelShuffle (tf.depthToSpace on NHWC, which is ONNX DepthToSpace in DCR mode; CRD, the
 * PyTorch order, would scramble the colours). An unknown layer stops the import, naming it.
 */
export function layersToOnnx(topologyJson: unknown, weights: Map<string, TfjsWeight>, options: LayersImportOptions): Uint8Array {
  const topology = topologyJson as KerasTopology;
  const model = topology.model_config ?? (topology as { class_name: string; config: KerasModelConfig });
  const config = model.config;
  if (!config?.layers) throw new Error('not a Keras layers topology (no config.layers)');
  const sequential = model.class_name === 'Sequential';
  const g = new OnnxGraphBuilder(options.graphName);
  const values = new Map<string, { name: string; rank: number }>();
  const used = new Set<string>();
  const weight = (layer: string, suffix: string): TfjsWeight => {
    const key = `${layer}/${suffix}`;
    const found = weights.get(key) ?? [...weights.values()].find((w) => w.name.endsWith(`/${key}`));
    if (!found) throw new Error(`layer ${layer}: weight ${key} is missing`);
    used.add(found.name);
    return found;
  };
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  let previous: string | undefined;
  let lastLayer = '';

  for (const layer of config.layers) {
    const name = layer.config.name ?? layer.name;
    const cfg = layer.config;
    const inbound = sequential ? (previous ? [previous] : []) : (layer.inbound_nodes?.[0] ?? []).map(([from]) => from);
    const cls = layer.class_name;
    if (cls === 'InputLayer' || (sequential && !previous)) {
      values.set(name, declareInput(g, inputName, cfg.batch_input_shape as (number | null)[] | undefined, options.inputScale));
      if (cls === 'InputLayer') {
        previous = name;
        continue;
      }
      inbound.push(name);
    }
    const ins = inbound.map((from) => {
      const v = values.get(from);
      if (!v) throw new Error(`layer ${name}: input ${from} is not defined before it`);
      return v;
    });
    const x = ins[0]?.name ?? '';
    const rank = ins[0]?.rank ?? 4;
    let out: string;
    let outRank = rank;
    switch (cls) {
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const kernel = weight(name, cls === 'Conv2D' ? 'kernel' : 'depthwise_kernel');
        const k = cfg.kernel_size as number[];
        const strides = (cfg.strides as number[] | undefined) ?? [1, 1];
        const dilations = (cfg.dilation_rate as number[] | undefined) ?? [1, 1];
        const depthwise = cls === 'DepthwiseConv2D';
        const laid = depthwise ? depthwiseToOihw(kernel.values as Float32Array, kernel.shape) : hwioToOihw(kernel.values as Float32Array, kernel.shape);
        const inputs = [x, g.floats(`${name}_W`, laid.dims, laid.values)];
        if (cfg.use_bias !== false) {
          const bias = weight(name, 'bias');
          inputs.push(g.floats(`${name}_B`, bias.shape, bias.values as Float32Array));
        }
        const group = depthwise ? kernel.shape[2] : ((cfg.groups as number | undefined) ?? 1);
        const conv = g.op('Conv', inputs, { kernel_shape: k, strides, dilations, group, ...convPadding(String(cfg.padding ?? 'valid'), k, strides, dilations) });
        out = activation(g, conv, String(cfg.activation ?? 'linear'), name, 4);
        break;
      }
      case 'Dense': {
        const kernel = weight(name, 'kernel');
        const inputs = [x, g.floats(`${name}_W`, kernel.shape, kernel.values as Float32Array)];
        let y = g.op('MatMul', inputs);
        if (cfg.use_bias !== false) {
          const bias = weight(name, 'bias');
          y = g.op('Add', [y, g.floats(`${name}_B`, bias.shape, bias.values as Float32Array)]);
        }
        out = activation(g, y, String(cfg.activation ?? 'linear'), name, rank);
        break;
      }
      case 'BatchNormalization': {
        const axis = nchwAxis((cfg.axis as number | number[] | undefined) instanceof Array ? (cfg.axis as number[])[0] : ((cfg.axis as number | undefined) ?? -1), rank);
        if (axis !== 1) throw new Error(`layer ${name}: BatchNormalization over axis ${String(cfg.axis)} is not supported (channels only)`);
        const mean = weight(name, 'moving_mean').values as Float32Array;
        const variance = weight(name, 'moving_variance').values as Float32Array;
        const c = mean.length;
        const gamma = cfg.scale === false ? new Float32Array(c).fill(1) : (weight(name, 'gamma').values as Float32Array);
        const beta = cfg.center === false ? new Float32Array(c) : (weight(name, 'beta').values as Float32Array);
        out = g.op(
          'BatchNormalization',
          [x, g.floats(`${name}_gamma`, [c], gamma), g.floats(`${name}_beta`, [c], beta), g.floats(`${name}_mean`, [c], mean), g.floats(`${name}_var`, [c], variance)],
          { epsilon: { float: (cfg.epsilon as number | undefined) ?? 1e-3 } },
        );
        break;
      }
      case 'Activation':
        out = activation(g, x, String(cfg.activation), name, rank);
        break;
      case 'ReLU': {
        const max = cfg.max_value as number | null | undefined;
        out = max == null ? g.op('Relu', [x]) : g.op('Clip', [x, g.floats(`${name}_lo`, [], [0]), g.floats(`${name}_hi`, [], [max])]);
        break;
      }
      case 'LeakyReLU':
        out = g.op('LeakyRelu', [x], { alpha: { float: (cfg.alpha as number | undefined) ?? 0.3 } });
        break;
      case 'PReLU': {
        const alpha = weight(name, 'alpha');
        // Keras keeps alpha as [H?, W?, C] (shared axes are 1); ONNX broadcasts [C, 1, 1] over NCHW.
        const c = alpha.shape.at(-1)!;
        if (alpha.values.length !== c) throw new Error(`layer ${name}: PReLU with per-pixel alpha is not supported`);
        out = g.op('PRelu', [x, g.floats(`${name}_alpha`, [c, 1, 1], alpha.values as Float32Array)]);
        break;
      }
      case 'Concatenate':
        out = g.op('Concat', ins.map((v) => v.name), { axis: nchwAxis((cfg.axis as number | undefined) ?? -1, rank) });
        break;
      case 'Add':
      case 'Subtract':
      case 'Multiply':
      case 'Maximum':
      case 'Minimum': {
        const op = { Add: 'Add', Subtract: 'Sub', Multiply: 'Mul', Maximum: 'Max', Minimum: 'Min' }[cls];
        out = ins.slice(1).reduce((acc, v) => g.op(op, [acc, v.name]), x);
        break;
      }
      case 'Average': {
        const sum = ins.slice(1).reduce((acc, v) => g.op('Add', [acc, v.name]), x);
        out = g.op('Mul', [sum, g.floats(`${name}_n`, [], [1 / ins.length])]);
        break;
      }
      case 'MultiplyBeta':
        out = g.op('Mul', [x, g.floats(`${name}_beta`, [], [(cfg.beta as number | undefined) ?? 0.2])]);
        break;
      case 'PixelShuffle':
        out = g.op('DepthToSpace', [x], { blocksize: cfg.scale as number, mode: 'DCR' });
        break;
      case 'UpSampling2D': {
        const [sh, sw] = cfg.size as number[];
        const nearest = (cfg.interpolation ?? 'nearest') === 'nearest';
        const scales = g.floats(`${name}_scales`, [4], [1, 1, sh, sw]);
        // Integer nearest upsampling is an exact repeat: asymmetric + floor, as Keras does it.
        out = g.op('Resize', [x, '', scales], nearest ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' } : { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
        break;
      }
      case 'ZeroPadding2D': {
        const p = cfg.padding as number[][] | number[] | number;
        const [[top, bottom], [left, right]] = typeof p === 'number' ? [[p, p], [p, p]] : typeof p[0] === 'number' ? [[p[0], p[0]], [p[1] as number, p[1] as number]] : (p as number[][]);
        out = g.op('Pad', [x, g.int64s(`${name}_pads`, [0, 0, top, left, 0, 0, bottom, right])]);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const k = cfg.pool_size as number[];
        const strides = (cfg.strides as number[] | null | undefined) ?? k;
        const padding = convPadding(String(cfg.padding ?? 'valid'), k, strides, [1, 1]);
        // TF's SAME average pool divides by the pixels inside the image only.
        out = g.op(cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [x], { kernel_shape: k, strides, ...padding });
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const pooled = g.op(cls === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x]);
        out = cfg.keepdims ? pooled : g.op('Flatten', [pooled], { axis: 1 });
        outRank = cfg.keepdims ? 4 : 2;
        break;
      }
      case 'Flatten': {
        // Keras flattens NHWC order: bring channels last first.
        const nhwc = rank === 4 ? g.op('Transpose', [x], { perm: [0, 2, 3, 1] }) : x;
        out = g.op('Flatten', [nhwc], { axis: 1 });
        outRank = 2;
        break;
      }
      case 'Dropout':
      case 'SpatialDropout2D':
        out = g.op('Identity', [x]);
        break;
      case 'Softmax':
        out = g.op('Softmax', [x], { axis: nchwAxis((cfg.axis as number | undefined) ?? -1, rank) });
        break;
      default:
        throw new Error(`layer ${name}: Keras layer ${cls} is not supported by the importer`);
    }
    values.set(name, { name: out, rank: outRank });
    previous = name;
    lastLayer = name;
  }

  const outputLayer = sequential ? lastLayer : (config.output_layers?.[0]?.[0] ?? lastLayer);
  if (!sequential && (config.output_layers?.length ?? 1) > 1) throw new Error('models with several outputs are not supported by the layers importer');
  const result = values.get(outputLayer);
  if (!result) throw new Error(`output layer ${outputLayer} was not converted`);
  const unused = [...weights.keys()].filter((w) => !used.has(w));
  if (unused.length) throw new Error(`weights not used by any layer: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', …' : ''}`);
  const scaled = options.outputScale !== undefined && options.outputScale !== 1;
  const final = scaled ? g.op('Mul', [result.name, g.floats('output_scale', [], [options.outputScale!])], {}, outputName) : g.op('Identity', [result.name], {}, outputName);
  g.output(final, 'float32', result.rank === 4 ? ['batch', 'channels', 'out_height', 'out_width'] : ['batch', 'classes']);
  return g.toBytes();
}

/** A Keras activation by name, applied after `x`. */
function activation(g: OnnxGraphBuilder, x: string, name: string, layer: string, rank: number): string {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x]);
    case 'relu6':
      return g.op('Clip', [x, g.floats(`${layer}_lo`, [], [0]), g.floats(`${layer}_hi`, [], [6])]);
    case 'sigmoid':
      return g.op('Sigmoid', [x]);
    case 'tanh':
      return g.op('Tanh', [x]);
    case 'softmax':
      return g.op('Softmax', [x], { axis: nchwAxis(-1, rank) });
    case 'elu':
      return g.op('Elu', [x], { alpha: { float: 1 } });
    default:
      throw new Error(`layer ${layer}: activation ${name} is not supported by the importer`);
  }
}

/** The graph input, NCHW for an image (`[null, null, null, 3]` → `[batch, 3, height, width]`), scaled if asked. */
function declareInput(g: OnnxGraphBuilder, inputName: string, shape: (number | null)[] = [null, null, null, 3], scale?: number): { name: string; rank: number } {
  const dims: OnnxDim[] =
    shape.length === 4 ? [shape[0] ?? 'batch', shape[3] ?? 'channels', shape[1] ?? 'height', shape[2] ?? 'width'] : shape.map((d, i) => d ?? (i === 0 ? 'batch' : `d${i}`));
  const input = g.input(inputName, 'float32', dims);
  const scaled = scale !== undefined && scale !== 1 ? g.op('Mul', [input, g.floats('input_scale', [], [scale])]) : input;
  return { name: scaled, rank: shape.length };
}
