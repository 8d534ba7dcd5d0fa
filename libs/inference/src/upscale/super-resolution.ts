import { Inject, Injectable } from '@nestjs/common';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { INFERENCE_OPTIONS, type InferenceOptions } from '../inference-options';
import { ModelRegistry } from '../models/model-registry';
import { ModelCache, type ModelHandle, type SessionModel } from '../runtime/model-cache';
import { planTiles, type Tile } from './tiles';
import { modelErrors } from '@atelier/models';

export interface UpscaleResult {
  png: Buffer;
  width: number;
  height: number;
  model: string;
  provider: string;
  /** The network's own factor; a different requested scale is reached with a Lanczos resize after it. */
  modelScale: number;
  tiles: number;
}

/** Context read around each tile; Real-ESRGAN's tools use 10, and more only costs time. */
const OVERLAP = 16;

/**
 * Super-resolution with an ONNX model of Real-ESRGAN's signature (RGB 0..1 NCHW in, ×s out), run
 * tile by tile so memory stays bounded at any image size; alpha, if any, is resized with Lanczos.
 */
@Injectable()
export class SuperResolution {
  private readonly models = new Map<string, ModelHandle<SessionModel>>();

  constructor(
    registry: ModelRegistry,
    cache: ModelCache,
    @Inject(INFERENCE_OPTIONS) private readonly options: InferenceOptions,
  ) {
    for (const manifest of registry.list().filter((m) => m.pipeline === 'upscale')) {
      this.models.set(manifest.id, cache.define(manifest.id, (files) => files.openSessionModel()));
    }
    if (options.upscaleModel && !this.models.has(options.upscaleModel)) {
      throw new Error(`UPSCALE_MODEL names "${options.upscaleModel}", which is not an upscale model; known: ${[...this.models.keys()].join(', ') || 'none'}`);
    }
  }

  /** The model an upscale job without one uses (UPSCALE_MODEL). */
  get configuredModel(): string | undefined {
    return this.options.upscaleModel || undefined;
  }

  async upscale(image: Buffer, scale: number, model: string, onTile?: (done: number, total: number) => Promise<void>): Promise<UpscaleResult> {
    const handle = this.models.get(model);
    if (!handle) throw modelErrors('UNKNOWN_MODEL', `Unknown upscale model ${model}`);
    const { rgb, alpha, width, height } = await decodeRgbAndAlpha(image);
    const tiles = planTiles(width, height, this.options.upscaleTileSize ?? 192, OVERLAP);
    const { pixels, modelScale, provider } = await handle.use(async ({ session, provider }) => {
      let out: Buffer | undefined;
      let s = 0;
      for (const [index, tile] of tiles.entries()) {
        const result = await runTile(session, rgb, width, tile);
        if (!out) {
          s = result.scale;
          out = Buffer.alloc(width * s * height * s * 3);
        } else if (result.scale !== s) {
          throw new Error(`${model} changed its scale between tiles (${s} then ${result.scale})`);
        }
        pasteOwned(out, width * s, result, tile, s);
        await onTile?.(index + 1, tiles.length);
      }
      return { pixels: out!, modelScale: s, provider };
    });
    const targetWidth = width * scale;
    const targetHeight = height * scale;
    const size = { width: targetWidth, height: targetHeight };
    const lanczos = (plane: Buffer, w: number, h: number, channels: 1 | 3) =>
      sharp(plane, { raw: { width: w, height: h, channels } }).resize(targetWidth, targetHeight, { kernel: 'lanczos3' }).raw().toBuffer();
    const rgbOut = modelScale === scale ? pixels : await lanczos(pixels, width * modelScale, height * modelScale, 3);
    let output = sharp(rgbOut, { raw: { ...size, channels: 3 } });
    if (alpha) output = output.joinChannel(await lanczos(alpha, width, height, 1), { raw: { ...size, channels: 1 } });
    return { png: await output.png().toBuffer(), width: targetWidth, height: targetHeight, model, provider, modelScale, tiles: tiles.length };
  }
}

/** One decode: EXIF-oriented sRGB pixels (sharp's raw output is sRGB, grey files too) and the alpha plane if any. */
async function decodeRgbAndAlpha(image: Buffer): Promise<{ rgb: Buffer; alpha?: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(image).rotate().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  if (channels === 3) return { rgb: data, width, height };
  const rgb = Buffer.alloc(width * height * 3);
  const alpha = Buffer.alloc(width * height);
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = data[i * channels];
    rgb[i * 3 + 1] = data[i * channels + 1];
    rgb[i * 3 + 2] = data[i * channels + 2];
    alpha[i] = data[i * channels + 3];
  }
  return { rgb, alpha, width, height };
}

interface TileOutput {
  data: Float32Array;
  width: number;
  height: number;
  scale: number;
}

/** Runs the network on the tile's read region (HWC uint8 → NCHW 0..1) and returns its output plane. */
async function runTile(session: InferenceSession, rgb: Buffer, imageWidth: number, tile: Tile): Promise<TileOutput> {
  const { readX, readY, readWidth: w, readHeight: h } = tile;
  const input = new Float32Array(3 * w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const src = ((readY + y) * imageWidth + readX + x) * 3;
      for (let c = 0; c < 3; c++) input[c * w * h + y * w + x] = rgb[src + c] / 255;
    }
  }
  const outputs = await session.run({ [session.inputNames[0]]: new Tensor('float32', input, [1, 3, h, w]) });
  const out = outputs[session.outputNames[0]];
  const [, channels, oh, ow] = out.dims;
  const scale = oh / h;
  if (channels !== 3 || !Number.isInteger(scale) || scale < 1 || ow !== w * scale) {
    throw new Error(`the upscale model answered [${out.dims.join(', ')}] for a [1, 3, ${h}, ${w}] tile; expected [1, 3, s·${h}, s·${w}]`);
  }
  return { data: out.data as Float32Array, width: ow, height: oh, scale };
}

/** Copies the tile's owned part of the output plane into the HWC uint8 image. */
function pasteOwned(target: Buffer, targetWidth: number, out: TileOutput, tile: Tile, s: number): void {
  const plane = out.width * out.height;
  const offX = (tile.x - tile.readX) * s;
  const offY = (tile.y - tile.readY) * s;
  for (let y = 0; y < tile.height * s; y++) {
    for (let x = 0; x < tile.width * s; x++) {
      const src = (offY + y) * out.width + offX + x;
      const dst = ((tile.y * s + y) * targetWidth + tile.x * s + x) * 3;
      for (let c = 0; c < 3; c++) target[dst + c] = Math.round(Math.min(1, Math.max(0, out.data[c * plane + src])) * 255);
    }
  }
}
