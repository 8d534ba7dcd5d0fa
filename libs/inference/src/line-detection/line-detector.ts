import { Injectable } from '@nestjs/common';
import { Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { ModelCache, type ModelHandle, type SessionModel } from '../runtime/model-cache';
import { decodeMlsd } from './decode-mlsd';

const MODEL_ID = 'mlsd-tiny';
const SIZE = 320;

export interface LineSegment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

/** M-LSD tiny: straight line segments in the input image's pixels, plus a white-on-black line map. */
@Injectable()
export class LineDetector {
  private readonly model: ModelHandle<SessionModel>;

  constructor(cache: ModelCache) {
    this.model = cache.define(MODEL_ID, (files) => files.openSessionModel());
  }

  async detect(image: Buffer): Promise<{ segments: LineSegment[]; width: number; height: number }> {
    const oriented = sharp(image).rotate();
    const { width = 0, height = 0 } = await sharp(await oriented.clone().toBuffer()).metadata();
    const rgb = await oriented.resize(SIZE, SIZE, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    const input = new Float32Array(SIZE * SIZE * 4);
    for (let i = 0; i < SIZE * SIZE; i++) {
      for (let c = 0; c < 3; c++) input[i * 4 + c] = rgb[i * 3 + c] / 127.5 - 1;
      input[i * 4 + 3] = 1;
    }
    const feed = new Tensor('float32', input, [1, SIZE, SIZE, 4]);
    const out = await this.model.use(({ session }) => session.run({ [session.inputNames[0]]: feed }));
    const raw = decodeMlsd(out.scores.data as Float32Array, out.offsets.data as Float32Array, {
      grid: SIZE / 2, scale: 2, scoreThreshold: 0.1, minLength: 20, maxSegments: 200,
    });
    const sx = width / SIZE;
    const sy = height / SIZE;
    const clampX = (v: number) => Math.round(Math.min(width, Math.max(0, v * sx)));
    const clampY = (v: number) => Math.round(Math.min(height, Math.max(0, v * sy)));
    const segments = raw.map((s) => ({ x1: clampX(s.x1), y1: clampY(s.y1), x2: clampX(s.x2), y2: clampY(s.y2), score: Math.round(s.score * 1000) / 1000 }));
    return { segments, width, height };
  }

  /** The ControlNet-style line map: white segments on black, at the input's size. */
  async renderLineMap(segments: LineSegment[], width: number, height: number): Promise<Buffer> {
    const lines = segments.map((s) => `<line x1="${s.x1}" y1="${s.y1}" x2="${s.x2}" y2="${s.y2}" stroke="white" stroke-width="2"/>`).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/>${lines}</svg>`;
    return sharp(Buffer.from(svg)).png().toBuffer();
  }
}
