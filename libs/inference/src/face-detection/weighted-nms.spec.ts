import { describe, expect, it } from 'vitest';
import { intersectionOverUnion, type NormalizedDetection } from './detection';
import { weightedNonMaxSuppression } from './weighted-nms';

function box(score: number, xMin: number, yMin: number, size = 0.2): NormalizedDetection {
  return { score, xMin, yMin, width: size, height: size, keypoints: [{ x: xMin, y: yMin }] };
}

describe('intersectionOverUnion', () => {
  it('is 1 for identical, 0 for disjoint and 1/3 for half-shifted boxes', () => {
    expect(intersectionOverUnion(box(1, 0, 0), box(1, 0, 0))).toBeCloseTo(1);
    expect(intersectionOverUnion(box(1, 0, 0), box(1, 0.5, 0.5))).toBe(0);
    expect(intersectionOverUnion(box(1, 0, 0), box(1, 0.1, 0))).toBeCloseTo(1 / 3);
  });
});

describe('weightedNonMaxSuppression', () => {
  it('merges overlapping candidates into their score-weighted mean and keeps separate faces', () => {
    const faceA1 = box(0.9, 0.1, 0.1);
    const faceA2 = box(0.6, 0.12, 0.1); // IoU ~0.82 with faceA1
    const faceB = box(0.7, 0.6, 0.6);
    const kept = weightedNonMaxSuppression([faceA2, faceB, faceA1], 0.3);
    expect(kept).toHaveLength(2);
    expect(kept[0].score).toBe(0.9); // best score of the cluster, not the mean
    expect(kept[0].xMin).toBeCloseTo((0.1 * 0.9 + 0.12 * 0.6) / 1.5, 6);
    expect(kept[0].keypoints[0].x).toBeCloseTo((0.1 * 0.9 + 0.12 * 0.6) / 1.5, 6);
    expect(kept[1]).toEqual(faceB);
  });

  it('does not merge candidates overlapping at or below the IoU threshold', () => {
    const kept = weightedNonMaxSuppression([box(0.9, 0, 0), box(0.8, 0.1, 0)], 0.34); // IoU 1/3
    expect(kept).toHaveLength(2);
  });

  it('returns nothing for no candidates', () => {
    expect(weightedNonMaxSuppression([])).toEqual([]);
  });
});
