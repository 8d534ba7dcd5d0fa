import { expandRect, minAreaRect, type Point, rectContains, rectCorners, type RotatedRect } from './rotated-rect';

export interface DbOptions {
  /** Pixels above it are text. */
  threshold: number;
  /** A box whose mean probability is below it is dropped. */
  boxThreshold: number;
  /** How far a box grows back out: the DB model predicts shrunk text regions. */
  unclipRatio: number;
  /** Boxes with a side shorter than this (map pixels) are noise. */
  minSize: number;
}

export const DB_DEFAULTS: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3 };

export interface TextBox {
  /** Top-left, top-right, bottom-right, bottom-left, in whole pixels of the target image. */
  corners: Point[];
  score: number;
}

export interface Size {
  width: number;
  height: number;
}

/**
 * DB post-processing as PaddleOCR does it: threshold the probability map, one min-area rotated
 * rectangle per 8-connected component, keep confident ones, grow them by
 * area * unclipRatio / perimeter, and scale them from the map to `target` pixels.
 */
export function dbBoxes(prob: Float32Array, map: Size, target: Size, options: Partial<DbOptions> = {}): TextBox[] {
  const o = { ...DB_DEFAULTS, ...options };
  const sx = target.width / map.width;
  const sy = target.height / map.height;
  const boxes: TextBox[] = [];
  for (const points of components(prob, map, o.threshold)) {
    const rect = minAreaRect(points);
    if (Math.min(rect.width, rect.height) < o.minSize) continue;
    const score = meanInside(prob, map, rect);
    if (score < o.boxThreshold) continue;
    const perimeter = 2 * (rect.width + rect.height);
    const grown = expandRect(rect, (rect.width * rect.height * o.unclipRatio) / perimeter);
    if (Math.min(grown.width, grown.height) < o.minSize + 2) continue;
    const corners = rectCorners(grown).map(([x, y]): Point => [
      Math.round(clamp(x * sx, 0, target.width)),
      Math.round(clamp(y * sy, 0, target.height)),
    ]);
    boxes.push({ corners, score });
  }
  return sortBoxes(boxes);
}

/** Reading order: top to bottom, and left to right for boxes whose tops are within 10 px (PaddleOCR's rule). */
export function sortBoxes(boxes: TextBox[]): TextBox[] {
  const sorted = [...boxes].sort((a, b) => a.corners[0][1] - b.corners[0][1] || a.corners[0][0] - b.corners[0][0]);
  for (let i = 0; i < sorted.length - 1; i++) {
    for (let j = i; j >= 0; j--) {
      const [a, b] = [sorted[j], sorted[j + 1]];
      if (Math.abs(b.corners[0][1] - a.corners[0][1]) >= 10 || b.corners[0][0] >= a.corners[0][0]) break;
      [sorted[j], sorted[j + 1]] = [b, a];
    }
  }
  return sorted;
}

/**
 * Each 8-connected component of pixels above `threshold`, as the outermost pixel centres of
 * each of its rows: enough for its convex hull, far fewer than all its pixels. A flood fill over
 * flat arrays, allocated only when some pixel is above the threshold; a component's rows are
 * consecutive, so its extents fit in two arrays indexed by row.
 */
function components(prob: Float32Array, { width, height }: Size, threshold: number): Point[][] {
  const found: Point[][] = [];
  let start = nextAbove(prob, 0, threshold);
  if (start < 0) return found;
  const seen = new Uint8Array(prob.length);
  const stack = new Int32Array(prob.length);
  const rowMin = new Int32Array(height).fill(width);
  const rowMax = new Int32Array(height).fill(-1);
  for (; start >= 0; start = nextAbove(prob, start + 1, threshold)) {
    if (seen[start]) continue;
    let top = height;
    let bottom = -1;
    seen[start] = 1;
    stack[0] = start;
    for (let size = 1; size > 0; ) {
      const i = stack[--size];
      const x = i % width;
      const y = (i - x) / width;
      if (x < rowMin[y]) rowMin[y] = x;
      if (x > rowMax[y]) rowMax[y] = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      const left = x > 0 ? x - 1 : x;
      const right = x < width - 1 ? x + 1 : x;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let n = ny * width + left; n <= ny * width + right; n++) {
          if (!seen[n] && prob[n] > threshold) {
            seen[n] = 1;
            stack[size++] = n;
          }
        }
      }
    }
    const points: Point[] = [];
    for (let y = top; y <= bottom; y++) {
      points.push([rowMin[y], y], [rowMax[y], y]);
      rowMin[y] = width;
      rowMax[y] = -1;
    }
    found.push(points);
  }
  return found;
}

/** The first index from `from` on whose value is above `threshold`, or -1: a tight scan, as most of a map is background. */
function nextAbove(prob: Float32Array, from: number, threshold: number): number {
  for (let i = from; i < prob.length; i++) if (prob[i] > threshold) return i;
  return -1;
}

/** Mean probability of the map pixels inside `rect` (PaddleOCR's box score). */
function meanInside(prob: Float32Array, { width, height }: Size, rect: RotatedRect): number {
  const corners = rectCorners(rect);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const [x0, x1] = [Math.max(0, Math.floor(Math.min(...xs))), Math.min(width - 1, Math.ceil(Math.max(...xs)))];
  const [y0, y1] = [Math.max(0, Math.floor(Math.min(...ys))), Math.min(height - 1, Math.ceil(Math.max(...ys)))];
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!rectContains(rect, x, y)) continue;
      sum += prob[y * width + x];
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
