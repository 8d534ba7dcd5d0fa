import { Injectable } from '@nestjs/common';
import { Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { ModelCache, type ModelHandle, type SessionModel } from '../runtime/model-cache';
import { guidedFilter, harden } from './guided-filter';

export const SEGMENTATION_MODEL = 'mediapipe-selfie';
const SIZE = 256;
const EPS = 1e-3;
const GAIN = 2;

export interface CutOut {
  /** RGBA PNG at the input's size: the person kept, the rest transparent. */
  png: Buffer;
  width: number;
  height: number;
  /** Share of the image kept (mean alpha, 0..1). */
  coverage: number;
  model: string;
}

/**
 * Portrait cut-out: MediaPipe's selfie segmentation gives a 256×256 person mask; it is upsampled
 * to the input's size and refined there with a guided filter on the image's luminance (radius
 * about 1 % of the short side), so the cut follows the image's own edges instead of the coarse
 * mask's, then steepened so the edge stays a thin band. An alpha the input already had is kept
 * (multiplied in).
 */
@Injectable()
export class BackgroundRemover {
  private readonly model: ModelHandle<SessionModel>;

  constructor(cache: ModelCache) {
    this.model = cache.define(SEGMENTATION_MODEL, (files) => files.openSessionModel());
  }

  async cutOut(image: Buffer): Promise<CutOut> {
    const { data, info } = await sharp(image).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    const rgb = await sharp(data, { raw: { width, height, channels: 4 } }).removeAlpha().raw().toBuffer();
    const small = await sharp(rgb, { raw: { width, height, channels: 3 } }).resize(SIZE, SIZE, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer();
    const input = Float32Array.from(small, (v) => v / 255);
    const out = await this.model.use(({ session }) => session.run({ [session.inputNames[0]]: new Tensor('float32', input, [1, SIZE, SIZE, 3]) }));
    const probabilities = out[Object.keys(out)[0]].data as Float32Array;
    const mask8 = Buffer.from(Uint8Array.from(probabilities, (p) => Math.round(Math.min(1, Math.max(0, p)) * 255)));
    const upsampled = await sharp(mask8, { raw: { width: SIZE, height: SIZE, channels: 1 } }).resize(width, height, { fit: 'fill', kernel: 'linear' }).extractChannel(0).raw().toBuffer();
    const n = width * height;
    const guide = new Float32Array(n);
    for (let i = 0; i < n; i++) guide[i] = (0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2]) / 255;
    const radius = Math.max(2, Math.round(Math.min(width, height) / 100));
    const alpha = harden(guidedFilter(guide, Float32Array.from(upsampled, (v) => v / 255), width, height, radius, EPS), GAIN);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.round(alpha[i] * data[i * 4 + 3]);
      data[i * 4 + 3] = a;
      kept += a;
    }
    const png = await sharp(data, { raw: { width, height, channels: 4 } }).png().toBuffer();
    return { png, width, height, coverage: Math.round((kept / 255 / n) * 1000) / 1000, model: SEGMENTATION_MODEL };
  }
}
