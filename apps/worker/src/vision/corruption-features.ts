import type { RgbPixels } from './rgb-pixels';

/**
 * Pixel-level signs of a garbled image, each a number the detector compares with a threshold.
 * They look where decoders break: JPEG works in 8×8 blocks (16×16 macroblocks with chroma
 * subsampling), so damage shows on that grid.
 */

const BLOCK = 8;

/** Shares of the 8×8 blocks that are perfectly flat mid-grey (a decoder's fill after the data ran out) or flat green (all-zero YCbCr). */
export function flatFillBlocks({ data, width, height }: RgbPixels): { grey: number; green: number } {
  let blocks = 0;
  let grey = 0;
  let green = 0;
  for (let by = 0; by + BLOCK <= height; by += BLOCK) {
    for (let bx = 0; bx + BLOCK <= width; bx += BLOCK) {
      blocks++;
      const range = blockRange(data, width, bx, by);
      if (range.spread > 3) continue;
      const [r, g, b] = range.mean;
      if (Math.abs(r - 128) <= 10 && Math.abs(g - 128) <= 10 && Math.abs(b - 128) <= 10) grey++;
      else if (g >= 80 && r <= 60 && b <= 60) green++;
    }
  }
  return { grey: blocks ? grey / blocks : 0, green: blocks ? green / blocks : 0 };
}

function blockRange(data: Uint8Array, width: number, bx: number, by: number) {
  const min = [255, 255, 255];
  const max = [0, 0, 0];
  const sum = [0, 0, 0];
  for (let y = by; y < by + BLOCK; y++) {
    for (let x = bx, p = (y * width + bx) * 3; x < bx + BLOCK; x++, p += 3) {
      for (let c = 0; c < 3; c++) {
        const v = data[p + c];
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
        sum[c] += v;
      }
    }
  }
  const n = BLOCK * BLOCK;
  return { spread: Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]), mean: sum.map((s) => s / n) };
}

/**
 * The share of the height, from the bottom up, made of flat rows that are neither black nor
 * white, below some content: a partial decode's fill. (A picture flat all over is not a fill.)
 */
export function flatTail({ data, width, height }: RgbPixels): number {
  let rows = 0;
  for (let y = height - 1; y >= 0; y--) {
    let min = 255;
    let max = 0;
    let sum = 0;
    for (let p = y * width * 3, end = p + width * 3; p < end; p++) {
      const v = data[p];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    const mean = sum / (width * 3);
    if (max - min > 4 || mean < 16 || mean > 240) break;
    rows++;
  }
  return height && rows < height ? rows / height : 0;
}

/** Σ over channels of |row y − row y−1|, per pixel of the row. */
function rowSteps({ data, width, height }: RgbPixels): Float32Array[] {
  const steps: Float32Array[] = [new Float32Array(width)];
  for (let y = 1; y < height; y++) {
    const row = new Float32Array(width);
    for (let x = 0, p = (y * width) * 3, q = ((y - 1) * width) * 3; x < width; x++, p += 3, q += 3) {
      row[x] = Math.abs(data[p] - data[q]) + Math.abs(data[p + 1] - data[q + 1]) + Math.abs(data[p + 2] - data[q + 2]);
    }
    steps.push(row);
  }
  return steps;
}

const SEGMENT = 32;

/**
 * Horizontal breaks on the block grid: for each block boundary row, the share of 32-pixel
 * segments whose step across the boundary is far larger than the steps just above and below
 * it (a natural edge is blurred over several rows; a decoder's colour shift is one sharp step).
 * The largest share over the boundaries.
 */
export function stripeScore(pixels: RgbPixels): number {
  const { width, height } = pixels;
  if (height < 3 * BLOCK || width < SEGMENT) return 0;
  const steps = rowSteps(pixels);
  const segments = Math.floor(width / SEGMENT);
  let worst = 0;
  for (let y = BLOCK; y + 3 < height; y += BLOCK) {
    let broken = 0;
    for (let s = 0; s < segments; s++) {
      const at = segmentMean(steps[y], s);
      const around = (segmentMean(steps[y - 2], s) + segmentMean(steps[y - 1], s) + segmentMean(steps[y + 1], s) + segmentMean(steps[y + 2], s)) / 4;
      if (at >= 15 && at > 4 * (around + 1)) broken++;
    }
    worst = Math.max(worst, broken / segments);
  }
  return worst;
}

const segmentMean = (row: Float32Array, segment: number) => {
  let sum = 0;
  for (let x = segment * SEGMENT; x < (segment + 1) * SEGMENT; x++) sum += row[x];
  return sum / SEGMENT;
};

const TILE = 64;

/**
 * Block-grid seams: the share of 64×64 tiles whose luma steps across grid lines (every 16 or 32
 * pixels, both directions) are much larger than across the lines half a cell away, as when
 * blocks are shuffled or dropped. Both kinds of line lie on JPEG's own 8-pixel grid, so mere
 * compression does not count. The larger share of the two grids.
 */
export function gridSeamScore(pixels: RgbPixels, luma: Float32Array): number {
  const { width, height } = pixels;
  let worst = 0;
  for (const cell of [16, 32]) {
    let tiles = 0;
    let seamed = 0;
    for (let ty = 0; ty + TILE <= height; ty += TILE) {
      for (let tx = 0; tx + TILE <= width; tx += TILE) {
        tiles++;
        const seam = lineSteps(luma, width, tx, ty, cell, 0);
        const reference = lineSteps(luma, width, tx, ty, cell, cell / 2);
        if (seam >= 6 && seam > 2.5 * (reference + 1)) seamed++;
      }
    }
    if (tiles) worst = Math.max(worst, seamed / tiles);
  }
  return worst;
}

/** Mean |luma step| across the tile's vertical and horizontal lines at `offset` + k·cell (inside the tile). */
function lineSteps(luma: Float32Array, width: number, tx: number, ty: number, cell: number, offset: number): number {
  let sum = 0;
  let count = 0;
  for (let line = offset || cell; line < TILE; line += cell) {
    for (let i = 0; i < TILE; i++) {
      const column = (ty + i) * width + tx + line;
      sum += Math.abs(luma[column] - luma[column - 1]);
      const row = (ty + line) * width + tx + i;
      sum += Math.abs(luma[row] - luma[row - width]);
      count += 2;
    }
  }
  return sum / count;
}
