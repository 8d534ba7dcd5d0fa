import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FloatIo, type FloatIoType } from './float-io';
import { Layers } from './layers';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import { SD15_SCHEDULER_CONFIG, SD_ONNX_IO } from './stable-diffusion-io';

/**
 * A tiny, randomly initialised Stable Diffusion 1.5 look-alike: the same files, tensor names,
 * dtypes and ranks as the diffusers/optimum ONNX export, with a few small layers each. It
 * produces no meaningful images; it lets the pipeline (tokenize → encode → denoise → decode)
 * run end to end in tests and offline, in milliseconds.
 */
export interface TinyStableDiffusionOptions {
  /** Rows of the token embedding; must cover the tokenizer's ids. Default 49408 (CLIP's). */
  vocabSize?: number;
  /** Text hidden size (real: 768). Default 32. */
  hiddenSize?: number;
  /** Weight seed; the same options always give byte-identical files. Default 1. */
  seed?: number;
  /**
   * The element type of every float input and output: 'float16' gives the signature of
   * `optimum-cli export onnx --fp16` (float16 tensors, a rank-0 float16 timestep). Default float32.
   */
  floatType?: FloatIoType;
  /** The VAE encoder's output: `latent_sample` (default) or current optimum's `latent_parameters` (mean and log-variance). */
  vaeEncoderOutput?: 'latent_sample' | 'latent_parameters';
  /** The UNet's `sample` channels: 4, or 9 for an inpainting UNet (latents, mask, masked-image latents). */
  unetInChannels?: 4 | 9;
  /** scheduler/scheduler_config.json; default SD 1.5's (epsilon prediction). */
  schedulerConfig?: object;
  /** model_index.json's `_class_name`; default OnnxStableDiffusionPipeline. */
  pipelineClass?: string;
}

interface ResolvedOptions {
  vocabSize: number;
  hiddenSize: number;
  seed: number;
  floatType: FloatIoType;
  vaeEncoderOutput: 'latent_sample' | 'latent_parameters';
  unetInChannels: 4 | 9;
}

const SEQ = SD_ONNX_IO.sequenceLength;
const LATENT = SD_ONNX_IO.latentChannels;
/** Internal widths of the tiny UNet and VAE (the real ones are 320-1280 and 128-512). */
const UNET_CHANNELS = 32;
const VAE_CHANNELS = 16;
/** Sinusoidal timestep features per function (sin and cos), as diffusers' Timesteps(half_dim). */
const TIME_HALF_DIM = 16;

/** Every file of the model folder, by path relative to it. Does not include the tokenizer. */
export function buildTinyStableDiffusion(options: TinyStableDiffusionOptions = {}): Map<string, Uint8Array | string> {
  const resolved: ResolvedOptions = {
    vocabSize: options.vocabSize ?? 49408,
    hiddenSize: options.hiddenSize ?? 32,
    seed: options.seed ?? 1,
    floatType: options.floatType ?? 'float32',
    vaeEncoderOutput: options.vaeEncoderOutput ?? 'latent_sample',
    unetInChannels: options.unetInChannels ?? 4,
  };
  if (!Number.isInteger(resolved.vocabSize) || resolved.vocabSize < 1) throw new Error(`vocabSize must be a positive integer, got ${resolved.vocabSize}`);
  if (!Number.isInteger(resolved.hiddenSize) || resolved.hiddenSize < 1) throw new Error(`hiddenSize must be a positive integer, got ${resolved.hiddenSize}`);
  // A different seed per model, so that no two share weights.
  const seedFor = (model: number) => (Math.imul(resolved.seed >>> 0, 4) + model) >>> 0;
  return new Map<string, Uint8Array | string>([
    [SD_ONNX_IO.textEncoder.file, buildTextEncoder(resolved, seedFor(0))],
    [SD_ONNX_IO.unet.file, buildUnet(resolved, seedFor(1))],
    [SD_ONNX_IO.vaeDecoder.file, buildVaeDecoder(resolved, seedFor(2))],
    [SD_ONNX_IO.vaeEncoder.file, buildVaeEncoder(resolved, seedFor(3))],
    [SD_ONNX_IO.schedulerConfigFile, json(options.schedulerConfig ?? SD15_SCHEDULER_CONFIG)],
    [SD_ONNX_IO.modelIndexFile, json(options.pipelineClass ? { ...MODEL_INDEX, _class_name: options.pipelineClass } : MODEL_INDEX)],
  ]);
}

/** Writes the folder (creating it); existing files of the same names are replaced. */
export function writeTinyStableDiffusion(dir: string, options: TinyStableDiffusionOptions = {}): void {
  for (const [file, content] of buildTinyStableDiffusion(options)) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** diffusers' model_index.json for an ONNX pipeline, without safety checker. */
const MODEL_INDEX = {
  _class_name: 'OnnxStableDiffusionPipeline',
  _diffusers_version: '0.30.0',
  feature_extractor: [null, null],
  requires_safety_checker: false,
  safety_checker: [null, null],
  scheduler: ['diffusers', 'PNDMScheduler'],
  text_encoder: ['diffusers', 'OnnxRuntimeModel'],
  tokenizer: ['transformers', 'CLIPTokenizer'],
  unet: ['diffusers', 'OnnxRuntimeModel'],
  vae_decoder: ['diffusers', 'OnnxRuntimeModel'],
  vae_encoder: ['diffusers', 'OnnxRuntimeModel'],
};

function json(value: object): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Token + position embedding, a mean-context mix (stand-in for attention), an MLP, final LayerNorm. */
function buildTextEncoder({ vocabSize, hiddenSize: h, floatType }: ResolvedOptions, seed: number): Uint8Array {
  const io = SD_ONNX_IO.textEncoder;
  const g = new OnnxGraphBuilder('text_encoder');
  const f = new FloatIo(g, floatType);
  const l = new Layers(g, seed);
  const ids = g.input(io.input, 'int32', ['batch', SEQ]);
  const lastOut = f.output(io.output, ['batch', SEQ, h]);
  const pooledOut = f.output(io.pooledOutput, ['batch', h]);

  const tokens = g.op('Gather', [l.table('token_embedding.weight', [vocabSize, h], 1), ids], { axis: 0 });
  const embedded = g.op('Add', [tokens, l.table('position_embedding.weight', [SEQ, h], 0.1)]);
  // Every position sees the whole prompt, as through attention.
  const context = g.op('ReduceMean', [embedded], { axes: [1], keepdims: 1 });
  const mixed = g.op('Add', [embedded, l.linear('context_proj', context, h, h)]);
  const mlp = l.linear('mlp.fc2', g.op('Tanh', [l.linear('mlp.fc1', mixed, h, 2 * h)]), 2 * h, h);
  const hidden = g.op('Add', [mixed, mlp]);
  const ones = g.floats('final_layer_norm.weight', [h], new Float32Array(h).fill(1));
  const zeros = g.floats('final_layer_norm.bias', [h], new Float32Array(h));
  const last = g.op('LayerNormalization', [hidden, ones, zeros], { axis: -1, epsilon: { float: 1e-5 } }, lastOut);
  // CLIP pools the end-of-text token; the mean over the sequence is simpler and as good here.
  g.op('ReduceMean', [last], { axes: [1], keepdims: 0 }, pooledOut);
  f.finish();
  return g.toBytes();
}

/** conv_in → + timestep embedding + text embedding → SiLU → conv → SiLU → conv_out. */
function buildUnet({ hiddenSize, floatType, unetInChannels }: ResolvedOptions, seed: number): Uint8Array {
  const io = SD_ONNX_IO.unet;
  const c = UNET_CHANNELS;
  const g = new OnnxGraphBuilder('unet');
  const f = new FloatIo(g, floatType);
  const l = new Layers(g, seed);
  const sample = f.input(io.sample, ['batch', unetInChannels, 'height', 'width']);
  // A scalar in optimum's current export (as its --fp16 one); [1] in diffusers' conversion script; older exports took [batch]: all broadcast.
  const timestep = f.input(io.timestep, floatType === 'float16' ? [] : ['steps']);
  const text = f.input(io.encoderHiddenStates, ['batch', SEQ, hiddenSize]);
  const out = f.output(io.output, ['batch', LATENT, 'height', 'width']);
  const toNchw = g.int64s('unsqueeze_hw', [2, 3]);

  const x = l.conv('conv_in', sample, unetInChannels, c, 3);

  // diffusers' sinusoidal timestep projection: [sin(t·f), cos(t·f)] with f = 10000^(-i/half).
  const freqs = Float32Array.from({ length: TIME_HALF_DIM }, (_, i) => Math.exp((-Math.log(10000) * i) / TIME_HALF_DIM));
  const t = g.op('Reshape', [timestep, g.int64s('timestep_column', [-1, 1])]);
  const angles = g.op('Mul', [t, g.floats('time_proj.freqs', [1, TIME_HALF_DIM], freqs)]);
  const timeFeatures = g.op('Concat', [g.op('Sin', [angles]), g.op('Cos', [angles])], { axis: 1 });
  const timeHidden = l.silu(l.linear('time_embedding.linear_1', timeFeatures, 2 * TIME_HALF_DIM, c));
  const timeEmb = g.op('Unsqueeze', [l.linear('time_embedding.linear_2', timeHidden, c, c), toNchw]);

  // Text conditioning: the mean token state projected to channels (the real UNet uses cross-attention).
  const textMean = g.op('ReduceMean', [text], { axes: [1], keepdims: 0 });
  const textEmb = g.op('Unsqueeze', [l.linear('text_proj', textMean, hiddenSize, c, { gain: 2 }), toNchw]);

  const conditioned = l.silu(g.op('Add', [g.op('Add', [x, timeEmb]), textEmb]));
  const mid = l.silu(l.conv('mid', conditioned, c, c, 3));
  g.op('Identity', [l.conv('conv_out', mid, c, LATENT, 3)], {}, out);
  f.finish();
  return g.toBytes();
}

/** conv_in → 3 × (nearest upsample ×2 → conv → SiLU) → conv_out → Tanh: [b,4,h,w] → [b,3,8h,8w]. */
function buildVaeDecoder({ floatType }: ResolvedOptions, seed: number): Uint8Array {
  const io = SD_ONNX_IO.vaeDecoder;
  const c = VAE_CHANNELS;
  const g = new OnnxGraphBuilder('vae_decoder');
  const f = new FloatIo(g, floatType);
  const l = new Layers(g, seed);
  const latent = f.input(io.input, ['batch', LATENT, 'height', 'width']);
  const out = f.output(io.output, ['batch', 3, 'image_height', 'image_width']);
  const scales = g.floats('upsample_scales', [4], [1, 1, 2, 2]);

  let x = l.silu(l.conv('conv_in', latent, LATENT, c, 3));
  for (let i = 0; i < Math.log2(SD_ONNX_IO.vaeScaleFactor); i++) {
    // Resize-13 inputs: X, roi (unused, so empty), scales.
    const up = g.op('Resize', [x, '', scales], { mode: 'nearest' });
    x = l.silu(l.conv(`up_blocks.${i}.conv`, up, c, c, 3));
  }
  g.op('Tanh', [l.conv('conv_out', x, c, 3, 3, { gain: 2 })], {}, out);
  f.finish();
  return g.toBytes();
}

/** An 8×8 stride-8 patch conv → SiLU → 1×1 conv: [b,3,H,W] → [b,4,H/8,W/8]. */
function buildVaeEncoder({ floatType, vaeEncoderOutput }: ResolvedOptions, seed: number): Uint8Array {
  const io = SD_ONNX_IO.vaeEncoder;
  const c = VAE_CHANNELS;
  const scale = SD_ONNX_IO.vaeScaleFactor;
  const g = new OnnxGraphBuilder('vae_encoder');
  const f = new FloatIo(g, floatType);
  const l = new Layers(g, seed);
  const image = f.input(io.input, ['batch', 3, 'image_height', 'image_width']);
  const parameters = vaeEncoderOutput === 'latent_parameters';
  const out = f.output(parameters ? io.parametersOutput : io.output, ['batch', parameters ? 2 * LATENT : LATENT, 'height', 'width']);

  const patches = l.silu(l.conv('conv_in', image, 3, c, scale, { stride: scale, pad: 0 }));
  g.op('Identity', [l.conv('quant_conv', patches, c, parameters ? 2 * LATENT : LATENT, 1)], {}, out);
  f.finish();
  return g.toBytes();
}
