/** A line segment in the model's 320×320 input space. */
export interface RawSegment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

export interface MlsdDecodeOptions {
  grid: number; // 160: the output map's side
  scale: number; // 2: input pixels per grid cell
  scoreThreshold: number;
  minLength: number; // in input pixels
  maxSegments: number;
}

/**
 * M-LSD decoding: centre points are local maxima (3×3) of the score map above a threshold;
 * each centre's offsets give its start and end points (in grid cells). Short segments and
 * near-duplicates (both ends within a few pixels of a stronger one) are dropped.
 */
export function decodeMlsd(scores: Float32Array, offsets: Float32Array, o: MlsdDecodeOptions): RawSegment[] {
  const peaks: Array<{ i: number; score: number }> = [];
  for (let y = 0; y < o.grid; y++) {
    for (let x = 0; x < o.grid; x++) {
      const i = y * o.grid + x;
      const score = scores[i];
      if (score < o.scoreThreshold || !isLocalMax(scores, o.grid, x, y)) continue;
      peaks.push({ i, score });
    }
  }
  peaks.sort((a, b) => b.score - a.score);
  const segments: RawSegment[] = [];
  for (const { i, score } of peaks) {
    const cx = i % o.grid;
    const cy = Math.floor(i / o.grid);
    const [dx1, dy1, dx2, dy2] = offsets.subarray(i * 4, i * 4 + 4);
    const s: RawSegment = { x1: (cx + dx1) * o.scale, y1: (cy + dy1) * o.scale, x2: (cx + dx2) * o.scale, y2: (cy + dy2) * o.scale, score };
    if (Math.hypot(s.x2 - s.x1, s.y2 - s.y1) < o.minLength) continue;
    if (segments.some((kept) => sameSegment(kept, s, o.scale * 2))) continue;
    segments.push(s);
    if (segments.length >= o.maxSegments) break;
  }
  return segments;
}

function isLocalMax(scores: Float32Array, grid: number, x: number, y: number): boolean {
  const value = scores[y * grid + x];
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx;
      const ny = y + dy;
      if ((dx || dy) && nx >= 0 && ny >= 0 && nx < grid && ny < grid && scores[ny * grid + nx] > value) return false;
    }
  }
  return true;
}

/**
 * The same line seen from two centres: nearly parallel, b's ends close to a's infinite line,
 * and their spans overlapping along it.
 */
function sameSegment(a: RawSegment, b: RawSegment, tolerance: number): boolean {
  const ax = a.x2 - a.x1;
  const ay = a.y2 - a.y1;
  const length = Math.hypot(ax, ay);
  const angle = (dx: number, dy: number) => Math.atan2(dy, dx) % Math.PI;
  const turn = Math.abs(angle(ax, ay) - angle(b.x2 - b.x1, b.y2 - b.y1));
  if (Math.min(turn, Math.PI - turn) > (5 * Math.PI) / 180) return false;
  const distance = (x: number, y: number) => Math.abs((x - a.x1) * ay - (y - a.y1) * ax) / length;
  if (distance(b.x1, b.y1) > tolerance || distance(b.x2, b.y2) > tolerance) return false;
  const along = (x: number, y: number) => ((x - a.x1) * ax + (y - a.y1) * ay) / length;
  const [lo, hi] = [along(b.x1, b.y1), along(b.x2, b.y2)].sort((p, q) => p - q);
  return Math.min(hi, length) - Math.max(lo, 0) > 0.5 * Math.min(length, hi - lo);
}
