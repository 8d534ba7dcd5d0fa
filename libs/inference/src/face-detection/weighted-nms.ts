import { intersectionOverUnion, type NormalizedDetection } from './detection';

/**
 * MediaPipe's weighted non-maximum suppression: the best remaining candidate absorbs every
 * candidate overlapping it by more than `iouThreshold`, and the merged box and keypoints are
 * the score-weighted mean of the cluster (steadier than keeping one anchor's box). The
 * merged score is the best one's. Output is sorted by score, highest first.
 */
export function weightedNonMaxSuppression(detections: NormalizedDetection[], iouThreshold = 0.3): NormalizedDetection[] {
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const kept: NormalizedDetection[] = [];
  while (remaining.length > 0) {
    const best = remaining[0];
    const cluster: NormalizedDetection[] = [];
    const rest: NormalizedDetection[] = [];
    for (const candidate of remaining) {
      (candidate === best || intersectionOverUnion(best, candidate) > iouThreshold ? cluster : rest).push(candidate);
    }
    kept.push(cluster.length === 1 ? best : weightedMean(cluster, best.score));
    remaining = rest;
  }
  return kept;
}

function weightedMean(cluster: NormalizedDetection[], score: number): NormalizedDetection {
  const total = cluster.reduce((sum, d) => sum + d.score, 0);
  const mean = (pick: (d: NormalizedDetection) => number) => cluster.reduce((sum, d) => sum + pick(d) * d.score, 0) / total;
  return {
    score,
    xMin: mean((d) => d.xMin),
    yMin: mean((d) => d.yMin),
    width: mean((d) => d.width),
    height: mean((d) => d.height),
    keypoints: cluster[0].keypoints.map((_, k) => ({ x: mean((d) => d.keypoints[k].x), y: mean((d) => d.keypoints[k].y) })),
  };
}
