export type Point = [number, number];

/** A rectangle at any angle: centre, unit direction of its `width` side, and side lengths. */
export interface RotatedRect {
  cx: number;
  cy: number;
  ux: number;
  uy: number;
  width: number;
  height: number;
}

/** Convex hull (Andrew's monotone chain), without repeated or collinear points. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted.filter((p, i) => i === 0 || p[0] !== sorted[0][0] || p[1] !== sorted[0][1]);
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: Point[]) => {
    const chain: Point[] = [];
    for (const p of list) {
      while (chain.length >= 2 && cross(chain[chain.length - 2], chain[chain.length - 1], p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/** The smallest-area rectangle around `points` (rotating calipers: one side lies on a hull edge). */
export function minAreaRect(points: Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) throw new Error('minAreaRect: no points');
  if (hull.length === 1) return { cx: hull[0][0], cy: hull[0][1], ux: 1, uy: 0, width: 0, height: 0 };
  let best: RotatedRect | undefined;
  for (let i = 0; i < hull.length; i++) {
    const [ax, ay] = hull[i];
    const [bx, by] = hull[(i + 1) % hull.length];
    const length = Math.hypot(bx - ax, by - ay);
    if (length === 0) continue;
    const ux = (bx - ax) / length;
    const uy = (by - ay) / length;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const [x, y] of hull) {
      const u = x * ux + y * uy;
      const v = -x * uy + y * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const width = maxU - minU;
    const height = maxV - minV;
    if (best && width * height >= best.width * best.height) continue;
    const cu = (minU + maxU) / 2;
    const cv = (minV + maxV) / 2;
    best = { cx: cu * ux - cv * uy, cy: cu * uy + cv * ux, ux, uy, width, height };
  }
  return best!;
}

/** Grows every side outwards by `distance` (what offsetting a rectangle's polygon does). */
export function expandRect(rect: RotatedRect, distance: number): RotatedRect {
  return { ...rect, width: rect.width + 2 * distance, height: rect.height + 2 * distance };
}

/** True when (x, y) lies inside or on the rectangle. */
export function rectContains(rect: RotatedRect, x: number, y: number): boolean {
  const dx = x - rect.cx;
  const dy = y - rect.cy;
  const eps = 1e-9;
  return Math.abs(dx * rect.ux + dy * rect.uy) <= rect.width / 2 + eps && Math.abs(-dx * rect.uy + dy * rect.ux) <= rect.height / 2 + eps;
}

/** The four corners ordered top-left, top-right, bottom-right, bottom-left. */
export function rectCorners(rect: RotatedRect): Point[] {
  const { cx, cy, ux, uy } = rect;
  const w = rect.width / 2;
  const h = rect.height / 2;
  const corner = (su: number, sv: number): Point => [cx + su * w * ux - sv * h * uy, cy + su * w * uy + sv * h * ux];
  return orderCorners([corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)]);
}

/** PaddleOCR's order: of the two leftmost corners the upper is top-left, of the two rightmost the upper is top-right. */
export function orderCorners(corners: Point[]): Point[] {
  const byX = [...corners].sort((a, b) => a[0] - b[0]);
  const [topLeft, bottomLeft] = byX[0][1] <= byX[1][1] ? [byX[0], byX[1]] : [byX[1], byX[0]];
  const [topRight, bottomRight] = byX[2][1] <= byX[3][1] ? [byX[2], byX[3]] : [byX[3], byX[2]];
  return [topLeft, topRight, bottomRight, bottomLeft];
}
