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
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / height;
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / width;
      // Pixel centres sit at +0.5 in corner coordinates.
      const sx = p0[0] + u * (p1[0] - p0[0]) + v * (p3[0] - p0[0]) - 0.5;
      const sy = p0[1] + u * (p1[1] - p0[1]) + v * (p3[1] - p0[1]) - 0.5;
      sampleBilinear(image, sx, sy, data, (y * width + x) * 3);
    }
  }
  const crop = { data, width, height };
  return height >= 1.5 * width ? rotate90CounterClockwise(crop) : crop;
}

/** Writes the RGB value at (x, y), clamped to the edge, into `out` at `at`. */
function sampleBilinear(image: RgbImage, x: number, y: number, out: Uint8Array, at: number): void {
  const cx = Math.min(image.width - 1, Math.max(0, x));
  const cy = Math.min(image.height - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(image.width - 1, x0 + 1);
  const y1 = Math.min(image.height - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const { data, width } = image;
  for (let c = 0; c < 3; c++) {
    const top = data[(y0 * width + x0) * 3 + c] * (1 - fx) + data[(y0 * width + x1) * 3 + c] * fx;
    const bottom = data[(y1 * width + x0) * 3 + c] * (1 - fx) + data[(y1 * width + x1) * 3 + c] * fx;
    out[at + c] = Math.round(top * (1 - fy) + bottom * fy);
  }
}
