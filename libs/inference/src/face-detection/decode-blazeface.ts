import type { Anchor } from './blazeface-anchors';
import type { NormalizedDetection } from './detection';

export interface DecodeOptions {
  /** x/y/w/h scale of the regressors: the model input size (128 for the front model). */
  inputSize: number;
  /** Minimum sigmoid score to keep. */
  threshold: number;
  keypointCount?: number;
}

/** MediaPipe clips raw scores before the sigmoid so exp() cannot overflow. */
const SCORE_CLIP = 100;

export function sigmoid(raw: number): number {
  const clipped = Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, raw));
  return 1 / (1 + Math.exp(-clipped));
}

/**
 * MediaPipe TensorsToDetections for BlazeFace: per anchor, `scores[i]` is a logit and
 * `regressors[i*16 ...]` holds centre offset, size and keypoint offsets in input pixels,
 * relative to the anchor centre. Returns candidates above the threshold, normalised.
 */
export function decodeBlazeFace(
  scores: ArrayLike<number>,
  regressors: ArrayLike<number>,
  anchors: readonly Anchor[],
  options: DecodeOptions,
): NormalizedDetection[] {
  const keypointCount = options.keypointCount ?? 6;
  const stride = 4 + 2 * keypointCount;
  if (scores.length !== anchors.length || regressors.length !== anchors.length * stride) {
    throw new Error(
      `BlazeFace output mismatch: ${scores.length} scores and ${regressors.length} regressors for ${anchors.length} anchors`,
    );
  }
  const scale = options.inputSize;
  const detections: NormalizedDetection[] = [];
  for (let i = 0; i < anchors.length; i++) {
    const score = sigmoid(scores[i]);
    if (score < options.threshold) continue;
    const anchor = anchors[i];
    const r = i * stride;
    const cx = regressors[r] / scale + anchor.x;
    const cy = regressors[r + 1] / scale + anchor.y;
    const width = regressors[r + 2] / scale;
    const height = regressors[r + 3] / scale;
    const keypoints = [];
    for (let k = 0; k < keypointCount; k++) {
      keypoints.push({ x: regressors[r + 4 + 2 * k] / scale + anchor.x, y: regressors[r + 5 + 2 * k] / scale + anchor.y });
    }
    detections.push({ score, xMin: cx - width / 2, yMin: cy - height / 2, width, height, keypoints });
  }
  return detections;
}
