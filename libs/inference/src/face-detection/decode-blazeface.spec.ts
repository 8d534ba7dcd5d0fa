import { describe, expect, it } from 'vitest';
import { BLAZEFACE_FRONT_ANCHORS, generateAnchors } from './blazeface-anchors';
import { decodeBlazeFace, sigmoid } from './decode-blazeface';

const anchors = generateAnchors(BLAZEFACE_FRONT_ANCHORS);
const options = { inputSize: 128, threshold: 0.5 };

/** Raw outputs where every anchor is confidently "no face" unless set. */
function blankOutputs() {
  return { scores: new Float32Array(896).fill(-20), regressors: new Float32Array(896 * 16) };
}

describe('decodeBlazeFace', () => {
  it('keeps only anchors above the threshold', () => {
    const { scores, regressors } = blankOutputs();
    scores[10] = 2; // sigmoid 0.88
    scores[600] = -0.5; // sigmoid 0.38, below 0.5
    const detections = decodeBlazeFace(scores, regressors, anchors, options);
    expect(detections).toHaveLength(1);
    expect(detections[0].score).toBeCloseTo(0.8808, 4);
  });

  it('decodes centre offset, size and keypoints relative to the anchor, in input pixels / 128', () => {
    const { scores, regressors } = blankOutputs();
    const i = 700; // an 8x8 anchor
    scores[i] = 5;
    regressors.set([6.4, -12.8, 32, 25.6, 0, 0, 12.8, 12.8, -6.4, 0, 0, 0, 0, 0, 0, 0], i * 16);
    const [d] = decodeBlazeFace(scores, regressors, anchors, options);
    const a = anchors[i];
    expect(d.width).toBeCloseTo(0.25, 6);
    expect(d.height).toBeCloseTo(0.2, 6);
    expect(d.xMin).toBeCloseTo(a.x + 0.05 - 0.125, 6);
    expect(d.yMin).toBeCloseTo(a.y - 0.1 - 0.1, 6);
    expect(d.keypoints).toHaveLength(6);
    expect(d.keypoints[0]).toEqual({ x: a.x, y: a.y });
    expect(d.keypoints[1].x).toBeCloseTo(a.x + 0.1, 6);
    expect(d.keypoints[1].y).toBeCloseTo(a.y + 0.1, 6);
    expect(d.keypoints[2].x).toBeCloseTo(a.x - 0.05, 6);
  });

  it('clips extreme logits instead of producing NaN', () => {
    expect(sigmoid(1e9)).toBe(1 / (1 + Math.exp(-100)));
    expect(sigmoid(-1e9)).toBeGreaterThan(0);
    expect(Number.isNaN(sigmoid(-1e9))).toBe(false);
  });

  it('rejects outputs that do not match the anchors', () => {
    expect(() => decodeBlazeFace(new Float32Array(10), new Float32Array(160), anchors, options)).toThrow(/mismatch/);
  });
});
