import { Injectable } from '@nestjs/common';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelCache, type ModelFiles, type ModelHandle } from '../runtime/model-cache';
import { cropBox } from './crop-box';
import { ctcCharset, ctcGreedyDecode } from './ctc-decode';
import { dbBoxes, type TextBox } from './db-postprocess';
import { detInput, detInputSize } from './det-input';
import { LINE_HEIGHT, lineTensor } from './line-tensor';
import { ReusableBuffer } from './reusable-buffer';
import { decodeRgb, type RgbImage, rotate180 } from './rgb-image';
import { CLS_WIDTH, upsideDown } from './text-direction';

const MODEL_ID = 'paddleocr-v4';
const FILES = {
  det: 'ch_PP-OCRv4_det_infer.onnx',
  cls: 'ch_ppocr_mobile_v2.0_cls_infer.onnx',
  rec: 'ch_PP-OCRv4_rec_infer.onnx',
  dictionary: 'ppocr_keys_v1.txt',
};
const DET_MAX_SIDE = 960;
/** PaddleOCR's rec input is at least 320 wide: shorter lines are padded, not stretched. */
const REC_MIN_WIDTH = 320;
const BATCH = 8;
/** Lines read with less confidence are dropped, as PaddleOCR's drop_score does. */
const MIN_CONFIDENCE = 0.5;

export interface OcrLine {
  text: string;
  confidence: number;
  /** Top-left, top-right, bottom-right, bottom-left, in pixels of the EXIF-oriented image. */
  box: [number, number][];
}

export interface OcrResult {
  /** Every line's text, in reading order, one per line. */
  text: string;
  lines: OcrLine[];
}

interface OcrModel {
  det: InferenceSession;
  cls: InferenceSession;
  rec: InferenceSession;
  charset: string[];
  provider: string;
  release(): Promise<void>;
}

/** PaddleOCR PP-OCRv4 (detection, direction, recognition) through onnxruntime-node. */
@Injectable()
export class TextRecognizer {
  private readonly model: ModelHandle<OcrModel>;
  /** The det input (up to 960 x 960 x 3 floats), reused from call to call. */
  private readonly detBuffer = new ReusableBuffer();

  constructor(cache: ModelCache) {
    this.model = cache.define(MODEL_ID, openPaddleOcr);
  }

  /** The text in `image` (any format sharp reads), line by line in reading order. */
  async recognize(image: Buffer): Promise<OcrResult> {
    const rgb = await decodeRgb(image);
    // One use for the three stages, so the cache cannot release the sessions half-way.
    const { boxes, reads } = await this.model.use(async (model) => {
      const found = await this.detect(model.det, rgb);
      const crops = await this.turnUpright(model.cls, found.map((b) => cropBox(rgb, b.corners)));
      return { boxes: found, reads: await this.read(model, crops) };
    });
    const lines = boxes
      .map((box, i) => ({ text: reads[i].text.trim(), confidence: Math.round(reads[i].confidence * 1000) / 1000, box: box.corners as [number, number][] }))
      .filter((line) => line.text.length > 0 && line.confidence >= MIN_CONFIDENCE);
    return { text: lines.map((l) => l.text).join('\n'), lines };
  }

  private async detect(det: InferenceSession, rgb: RgbImage): Promise<TextBox[]> {
    const size = detInputSize(rgb.width, rgb.height, DET_MAX_SIDE);
    return this.detBuffer.use(3 * size.width * size.height, async (buffer) => {
      const input = await detInput(rgb, DET_MAX_SIDE, buffer);
      const out = await det.run({ [det.inputNames[0]]: new Tensor('float32', input.data, [1, 3, input.height, input.width]) });
      return dbBoxes(out[det.outputNames[0]].data as Float32Array, input, rgb);
    });
  }

  private async turnUpright(cls: InferenceSession, crops: RgbImage[]): Promise<RgbImage[]> {
    const upright = [...crops];
    for (let start = 0; start < crops.length; start += BATCH) {
      const batch = crops.slice(start, start + BATCH);
      const data = await lineTensor(batch, CLS_WIDTH);
      const out = await cls.run({ [cls.inputNames[0]]: new Tensor('float32', data, [batch.length, 3, LINE_HEIGHT, CLS_WIDTH]) });
      upsideDown(out[cls.outputNames[0]].data as Float32Array, batch.length).forEach((turn, i) => {
        if (turn) upright[start + i] = rotate180(batch[i]);
      });
    }
    return upright;
  }

  /** Recognises in batches of similar aspect, so little of each batch is padding. */
  private async read({ rec, charset }: OcrModel, crops: RgbImage[]): Promise<Array<{ text: string; confidence: number }>> {
    const reads = new Array<{ text: string; confidence: number }>(crops.length);
    const ratio = (c: RgbImage) => c.width / c.height;
    const order = crops.map((_, i) => i).sort((a, b) => ratio(crops[a]) - ratio(crops[b]));
    for (let start = 0; start < order.length; start += BATCH) {
      const indices = order.slice(start, start + BATCH);
      const batch = indices.map((i) => crops[i]);
      const width = Math.max(REC_MIN_WIDTH, ...batch.map((c) => Math.ceil(LINE_HEIGHT * ratio(c))));
      const data = await lineTensor(batch, width);
      const out = (await rec.run({ [rec.inputNames[0]]: new Tensor('float32', data, [batch.length, 3, LINE_HEIGHT, width]) }))[rec.outputNames[0]];
      const [, steps, classes] = out.dims;
      const probs = out.data as Float32Array;
      indices.forEach((index, n) => {
        reads[index] = ctcGreedyDecode(probs.subarray(n * steps * classes, (n + 1) * steps * classes), steps, charset);
      });
    }
    return reads;
  }
}

/** Opens the three networks and reads the dictionary; releases what it opened if one fails. */
async function openPaddleOcr(files: ModelFiles): Promise<OcrModel> {
  const charset = ctcCharset(new TextDecoder().decode(await files.bytes(FILES.dictionary)));
  const opened: InferenceSession[] = [];
  const providers = new Set<string>();
  try {
    for (const name of [FILES.det, FILES.cls, FILES.rec]) {
      const { session, provider } = await files.openSession(name);
      opened.push(session);
      providers.add(provider);
    }
  } catch (err) {
    await Promise.all(opened.map((session) => session.release()));
    throw err;
  }
  const [det, cls, rec] = opened;
  return {
    det,
    cls,
    rec,
    charset,
    provider: [...providers].join(','),
    release: async () => {
      await Promise.all(opened.map((session) => session.release()));
    },
  };
}
