import { describe, expect, it } from 'vitest';
import { convexHull, expandRect, minAreaRect, orderCorners, type Point, rectContains, rectCorners } from './rotated-rect';

const rounded = (points: Point[]) => points.map(([x, y]) => [Math.round(x * 1000) / 1000 + 0, Math.round(y * 1000) / 1000 + 0]);

describe('rotated rectangles', () => {
  it('hulls a square with points inside and on its edges', () => {
    const hull = convexHull([[0, 0], [2, 0], [4, 0], [4, 4], [0, 4], [1, 1], [2, 3]]);
    expect(hull.map((p) => p.join(',')).sort()).toEqual(['0,0', '0,4', '4,0', '4,4']);
  });

  it('fits an axis-aligned rectangle', () => {
    const rect = minAreaRect([[10, 20], [50, 20], [50, 30], [10, 30], [30, 25]]);
    expect(rounded(rectCorners(rect))).toEqual([[10, 20], [50, 20], [50, 30], [10, 30]]);
    expect([rect.width, rect.height].sort((a, b) => a - b)).toEqual([10, 40]);
  });

  it('fits a rectangle turned 30 degrees and orders its corners', () => {
    const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const at = (u: number, v: number): Point => [100 + u * c - v * s, 100 + u * s + v * c];
    const rect = minAreaRect([at(-40, -10), at(40, -10), at(40, 10), at(-40, 10), at(0, 0), at(20, 5)]);
    expect(rect.width * rect.height).toBeCloseTo(80 * 20, 6);
    expect(rounded(rectCorners(rect))).toEqual(rounded([at(-40, -10), at(40, -10), at(40, 10), at(-40, 10)]));
  });

  it('handles a single point and a line', () => {
    expect(minAreaRect([[3, 4]])).toMatchObject({ cx: 3, cy: 4, width: 0, height: 0 });
    // A one-pixel component: its row's leftmost and rightmost pixel are the same point.
    expect(convexHull([[3, 4], [3, 4]])).toEqual([[3, 4]]);
    expect(minAreaRect([[3, 4], [3, 4]])).toMatchObject({ cx: 3, cy: 4, width: 0, height: 0 });
    const line = minAreaRect([[0, 0], [10, 0]]);
    expect([line.width, line.height]).toEqual([10, 0]);
  });

  it('grows each side by the distance and tests containment', () => {
    const rect = expandRect(minAreaRect([[0, 0], [10, 0], [10, 4], [0, 4]]), 2);
    expect(rounded(rectCorners(rect))).toEqual([[-2, -2], [12, -2], [12, 6], [-2, 6]]);
    expect(rectContains(rect, 12, 6)).toBe(true);
    expect(rectContains(rect, 12.1, 0)).toBe(false);
  });

  it('orders corners given in any order', () => {
    expect(orderCorners([[10, 10], [0, 0], [0, 10], [10, 0]])).toEqual([[0, 0], [10, 0], [10, 10], [0, 10]]);
  });
});
