import { Inject, Injectable } from '@nestjs/common';
import { Tensor } from 'onnxruntime-node';
import { INFERENCE_OPTIONS, type InferenceOptions } from '../inference-options';
import { ModelCache, type ModelFiles, type ModelHandle, type SessionModel } from '../runtime/model-cache';
import { BLAZEFACE_FRONT_ANCHORS, generateAnchors } from './blazeface-anchors';
import { decodeBlazeFace } from './decode-blazeface';
import type { FaceDetectionResult } from './face-detection-result';
import { letterboxedRgb, toSignedUnitRange } from './letterboxed-rgb';
import { toImageFaces } from './to-image-faces';
import { weightedNonMaxSuppression } from './weighted-nms';

export type FaceDetectorOptions = Pick<InferenceOptions, 'executionProviders' | 'faceScoreThreshold'>;

const MODEL_ID = 'blazeface-front';
const INPUT_SIZE = BLAZEFACE_FRONT_ANCHORS.inputSize;
/** Score logits then regressors, each split over the 16x16 (512 anchors) and 8x8 (384) maps. */
const SCORE_OUTPUTS = ['Identity:0', 'Identity_1:0'];
const REGRESSOR_OUTPUTS = ['Identity_2:0', 'Identity_3:0'];
const IOU_THRESHOLD = 0.3;

/** BlazeFace (MediaPipe short-range) face detection on CPU or GPU through onnxruntime-node. */
@Injectable()
export class FaceDetector {
  private readonly anchors = generateAnchors(BLAZEFACE_FRONT_ANCHORS);
  private readonly threshold: number;
  private readonly model: ModelHandle<SessionModel>;

  constructor(
    cache: ModelCache,
    @Inject(INFERENCE_OPTIONS) options: FaceDetectorOptions,
  ) {
    this.threshold = options.faceScoreThreshold ?? 0.5;
    if (!(this.threshold >= 0 && this.threshold <= 1)) {
      throw new Error(`faceScoreThreshold must be within 0..1, got ${options.faceScoreThreshold}`);
    }
    this.model = cache.define(MODEL_ID, openBlazeFace);
  }

  /** Faces in `image` (any format sharp reads), in pixels of the EXIF-oriented image. */
  async detect(image: Buffer): Promise<FaceDetectionResult> {
    const { pixels, letterbox } = await letterboxedRgb(image, INPUT_SIZE);
    const input = new Tensor('float32', toSignedUnitRange(pixels), [1, INPUT_SIZE, INPUT_SIZE, 3]);
    const outputs = await this.model.use(({ session }) => session.run({ [session.inputNames[0]]: input }));
    const concat = (names: string[]) => concatFloat32(names.map((n) => outputs[n].data as Float32Array));
    const candidates = decodeBlazeFace(concat(SCORE_OUTPUTS), concat(REGRESSOR_OUTPUTS), this.anchors, {
      inputSize: INPUT_SIZE,
      threshold: this.threshold,
    });
    const faces = toImageFaces(weightedNonMaxSuppression(candidates, IOU_THRESHOLD), letterbox);
    return { faces };
  }

  /** The execution provider in use (loads the model if needed). */
  executionProvider(): Promise<string> {
    return this.model.use(async ({ provider }) => provider);
  }
}

async function openBlazeFace(files: ModelFiles): Promise<SessionModel> {
  const model = await files.openSessionModel();
  const missing = [...SCORE_OUTPUTS, ...REGRESSOR_OUTPUTS].filter((n) => !model.session.outputNames.includes(n));
  if (missing.length > 0) {
    await model.release();
    throw new Error(`${files.dir} is not the expected BlazeFace export: outputs ${missing.join(', ')} missing`);
  }
  return model;
}

function concatFloat32(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
