import { Injectable } from '@nestjs/common';
import { Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { ModelCache, type ModelHandle, type SessionModel } from '../runtime/model-cache';

export const MODERATION_MODEL = 'nsfw-mobilenet-v2';
const SIZE = 224;
/** nsfwjs's class order. */
export const MODERATION_LABELS = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'] as const;
export type ModerationLabel = (typeof MODERATION_LABELS)[number];

export interface ModerationScores {
  labels: Record<ModerationLabel, number>;
  model: string;
}

/**
 * nsfwjs's MobileNetV2 classifier: five scores that sum to 1. The image is fitted to 224×224
 * (stretched, as nsfwjs does) in sRGB 0..1; transparency is flattened onto white first.
 */
@Injectable()
export class ContentModerator {
  private readonly model: ModelHandle<SessionModel>;

  constructor(cache: ModelCache) {
    this.model = cache.define(MODERATION_MODEL, (files) => files.openSessionModel());
  }

  async classify(image: Buffer): Promise<ModerationScores> {
    const rgb = await sharp(image).rotate().flatten({ background: '#ffffff' }).resize(SIZE, SIZE, { fit: 'fill', kernel: 'cubic' }).removeAlpha().raw().toBuffer();
    const input = Float32Array.from(rgb, (v) => v / 255);
    const out = await this.model.use(({ session }) => session.run({ [session.inputNames[0]]: new Tensor('float32', input, [1, SIZE, SIZE, 3]) }));
    const p = out[Object.keys(out)[0]].data as Float32Array;
    const labels = Object.fromEntries(MODERATION_LABELS.map((label, i) => [label, Math.round(p[i] * 1e4) / 1e4])) as Record<ModerationLabel, number>;
    return { labels, model: MODERATION_MODEL };
  }
}
