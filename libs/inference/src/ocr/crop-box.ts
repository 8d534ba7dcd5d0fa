import { type RgbImage, rotate90CounterClockwise } from './rgb-image';
import type { Point } from './rotated-rect';

/**
 * The text inside `corners` (top-left, top-right, bottom-right, bottom-left), straightened:
 * an affine warp with bilinear sampling, exact for the rotated rectangles DB gives. Like
 * PaddleOCR, a crop at least 1.5 times taller than wide is vertical text and gets a quarter turn.
 */
export function cropBox(image: RgbImage, corners: Point[]): RgbImage {
  const [p0, p1, p2, p3] = corners;
  const dist = (a: Point, b: Point) => Math.hypot(b[0] - a[0], b[1] - a[1]);
  const width = Math.max(1, Math.round(Math.max(dist(p0, p1), dist(p3, p2))));
  const height = Math.max(1, Math.round(Math.max(dist(p0, p3), dist(p1, p2))));
  const data = new Uint8Array(width * height * 3);
  // The source point is p0 + u * (p1 - p0) + v * (p3 - p0): the u terms are the same on every row.
  const ux = Float64Array.from({ length: width }, (_, x) => ((x + 0.5) / width) * (p1[0] - p0[0]));
  const uy = Float64Array.from({ length: width }, (_, x) => ((x + 0.5) / width) * (p1[1] - p0[1]));
  for (let y = 0, at = 0; y < height; y++) {
    const v = (y + 0.5) / height;
    const vx = v * (p3[0] - p0[0]);
    const vy = v * (p3[1] - p0[1]);
    // Pixel centres sit at +0.5 in corner coordinates.
    for (let x = 0; x < width; x++, at += 3) sampleBilinear(image, p0[0] + ux[x] + vx - 0.5, p0[1] + uy[x] + vy - 0.5, data, at);
  }
  const crop = { data, width, height };
  return height >= 1.5 * width ? rotate90CounterClockwise(crop) : crop;
}

/** Writes the RGB value at (x, y), clamped to the edge, into `out` at `at`. */
function sampleBilinear(image: RgbImage, x: number, y: number, out: Uint8Array, at: number): void {
  const { data, width } = image;
  const cx = Math.min(width - 1, Math.max(0, x));
  const cy = Math.min(image.height - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const fx = cx - x0;
  const fy = cy - y0;
  const topLeft = (y0 * width + x0) * 3;
  const right = x0 < width - 1 ? 3 : 0;
  const down = y0 < image.height - 1 ? width * 3 : 0;
  for (let c = topLeft; c < topLeft + 3; c++, at++) {
    const top = data[c] * (1 - fx) + data[c + right] * fx;
    const bottom = data[c + down] * (1 - fx) + data[c + down + right] * fx;
    out[at] = Math.round(top * (1 - fy) + bottom * fy);
  }
}
