import { existsSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Tensor } from 'onnxruntime-node';
import { INFERENCE_OPTIONS, type InferenceOptions } from '../inference-options';
import { ModelRegistry } from '../models/model-registry';
import { type CreatedInferenceSession, createInferenceSession } from '../runtime/create-inference-session';
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
export class FaceDetector implements OnModuleDestroy {
  private readonly logger = new Logger(FaceDetector.name);
  private readonly anchors = generateAnchors(BLAZEFACE_FRONT_ANCHORS);
  private readonly threshold: number;
  private loading?: Promise<CreatedInferenceSession>;
  /** What /v1/models reports: provider, load time, last use, last load error. */
  private runtime: { provider?: string; loadMs?: number; lastUsed?: Date; error?: string } = {};

  constructor(
    private readonly registry: ModelRegistry,
    @Inject(INFERENCE_OPTIONS) private readonly options: FaceDetectorOptions,
  ) {
    this.threshold = options.faceScoreThreshold ?? 0.5;
    if (!(this.threshold >= 0 && this.threshold <= 1)) {
      throw new Error(`faceScoreThreshold must be within 0..1, got ${options.faceScoreThreshold}`);
    }
  }

  /** Faces in `image` (any format sharp reads), in pixels of the EXIF-oriented image. */
  async detect(image: Buffer): Promise<FaceDetectionResult> {
    const [{ session }, { pixels, letterbox }] = await Promise.all([this.session(), letterboxedRgb(image, INPUT_SIZE)]);
    this.runtime.lastUsed = new Date();
    const input = new Tensor('float32', toSignedUnitRange(pixels), [1, INPUT_SIZE, INPUT_SIZE, 3]);
    const outputs = await session.run({ [session.inputNames[0]]: input });
    const concat = (names: string[]) => concatFloat32(names.map((n) => outputs[n].data as Float32Array));
    const candidates = decodeBlazeFace(concat(SCORE_OUTPUTS), concat(REGRESSOR_OUTPUTS), this.anchors, {
      inputSize: INPUT_SIZE,
      threshold: this.threshold,
    });
    const faces = toImageFaces(weightedNonMaxSuppression(candidates, IOU_THRESHOLD), letterbox);
    return { faces };
  }

  /** The execution provider in use (loads the model if needed). */
  async executionProvider(): Promise<string> {
    return (await this.session()).provider;
  }

  /** The model's runtime state without loading it. */
  runtimeStatus(): { modelId: string; hot: boolean; provider?: string; loadMs?: number; lastUsed?: Date; error?: string } {
    return { modelId: MODEL_ID, hot: Boolean(this.runtime.provider), ...this.runtime };
  }

  async onModuleDestroy(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    if (loading) await (await loading.catch(() => undefined))?.session.release();
  }

  /** Loads once; concurrent first calls share the promise, and a failed load is retried next time. */
  private session(): Promise<CreatedInferenceSession> {
    this.loading ??= this.load().catch((err: unknown) => {
      this.loading = undefined;
      this.runtime.error = err instanceof Error ? err.message : String(err);
      throw err;
    });
    return this.loading;
  }

  private async load(): Promise<CreatedInferenceSession> {
    const path = this.registry.filePath(MODEL_ID);
    if (!existsSync(path)) {
      throw new Error(`Model file ${path} is missing; run \`npm run models:prepare\` (with the same MODELS_DIR)`);
    }
    const started = Date.now();
    const created = await createInferenceSession(path, this.options.executionProviders, this.logger);
    const missing = [...SCORE_OUTPUTS, ...REGRESSOR_OUTPUTS].filter((n) => !created.session.outputNames.includes(n));
    if (missing.length > 0) {
      await created.session.release();
      throw new Error(`${path} is not the expected BlazeFace export: outputs ${missing.join(', ')} missing`);
    }
    this.runtime = { provider: created.provider, loadMs: Date.now() - started, error: undefined };
    return created;
  }
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
