/** One tile of a tiled run: the region it owns and the larger region it reads (owned + overlap). */
export interface Tile {
  /** Owned region, in input pixels: the output keeps only this part. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Read region: the owned one grown by the overlap, clamped to the image. */
  readX: number;
  readY: number;
  readWidth: number;
  readHeight: number;
}

/**
 * Cuts width × height into tiles of at most `size` owned pixels a side, each read with `overlap`
 * extra pixels of context on every side that has a neighbour. A network whose receptive field
 * is within the overlap gives the same pixels tiled as in one run, without seams.
 */
export function planTiles(width: number, height: number, size: number, overlap: number): Tile[] {
  if (!(size >= 1 && overlap >= 0)) throw new Error(`planTiles: size must be ≥ 1 and overlap ≥ 0 (got ${size}, ${overlap})`);
  const tiles: Tile[] = [];
  for (let y = 0; y < height; y += size) {
    for (let x = 0; x < width; x += size) {
      const w = Math.min(size, width - x);
      const h = Math.min(size, height - y);
      const readX = Math.max(0, x - overlap);
      const readY = Math.max(0, y - overlap);
      tiles.push({
        x, y, width: w, height: h,
        readX, readY,
        readWidth: Math.min(width, x + w + overlap) - readX,
        readHeight: Math.min(height, y + h + overlap) - readY,
      });
    }
  }
  return tiles;
}
