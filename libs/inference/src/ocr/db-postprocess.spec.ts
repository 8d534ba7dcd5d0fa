import { describe, expect, it } from 'vitest';
import { dbBoxes, sortBoxes, type TextBox } from './db-postprocess';

const W = 100;
const H = 60;

/** A probability map with `value` in each [x0, y0, x1, y1] (inclusive) block. */
function map(blocks: Array<[number, number, number, number, number]>): Float32Array {
  const prob = new Float32Array(W * H);
  for (const [x0, y0, x1, y1, value] of blocks) {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) prob[y * W + x] = value;
  }
  return prob;
}

describe('dbBoxes', () => {
  it('finds one box per region, grown by area * 1.5 / perimeter, in reading order', () => {
    // Second line first in the map, so the order comes from the sort.
    const prob = map([[10, 40, 49, 49, 0.9], [10, 10, 89, 19, 0.95]]);
    const boxes = dbBoxes(prob, { width: W, height: H }, { width: W, height: H });
    expect(boxes).toHaveLength(2);
    // 79 x 9 between pixel centres: d = 79 * 9 * 1.5 / (2 * 88) = 6.06
    expect(boxes[0].corners).toEqual([[4, 4], [95, 4], [95, 25], [4, 25]]);
    expect(boxes[0].score).toBeCloseTo(0.95, 5);
    expect(boxes[1].corners[0][1]).toBeGreaterThan(30);
  });

  it('scales boxes to the target size and clips them to it', () => {
    const prob = map([[0, 0, 39, 9, 0.9]]);
    const [box] = dbBoxes(prob, { width: W, height: H }, { width: 2 * W, height: 3 * H });
    // 39 x 9, d = 5.48: right edge 44.48 * 2, bottom 14.48 * 3; left and top clipped at 0.
    expect(box.corners).toEqual([[0, 0], [89, 0], [89, 43], [0, 43]]);
  });

  it('drops regions below the threshold, with a low mean score, or too thin', () => {
    const prob = map([
      [10, 10, 40, 20, 0.29], // not text
      [50, 10, 80, 20, 0.5], // text pixels, but score < 0.6
      [10, 40, 80, 41, 0.9], // 2 px tall: noise
    ]);
    expect(dbBoxes(prob, { width: W, height: H }, { width: W, height: H })).toEqual([]);
  });

  it('ignores lone pixels and finds nothing in an empty map', () => {
    const prob = map([[0, 0, 0, 0, 0.9], [50, 30, 50, 30, 0.9], [99, 59, 99, 59, 0.9], [97, 0, 98, 0, 0.9]]);
    expect(dbBoxes(prob, { width: W, height: H }, { width: W, height: H })).toEqual([]);
    expect(dbBoxes(new Float32Array(W * H), { width: W, height: H }, { width: W, height: H })).toEqual([]);
  });

  it('joins diagonal neighbours (8-connected) and handles regions on the map edges', () => {
    // A staircase of 4x4 blocks touching only at corners: one component, one box (its score is low: no threshold).
    const prob = map([[0, 0, 3, 3, 0.9], [4, 4, 7, 7, 0.9], [8, 8, 11, 11, 0.9], [90, 50, 99, 59, 0.8]]);
    const boxes = dbBoxes(prob, { width: W, height: H }, { width: W, height: H }, { boxThreshold: 0 });
    expect(boxes).toHaveLength(2);
    expect(boxes[1].corners[2]).toEqual([W, H]);
    expect(boxes[1].score).toBeCloseTo(0.8, 5);
  });
});

describe('sortBoxes', () => {
  const box = (x: number, y: number): TextBox => ({ corners: [[x, y], [x + 10, y], [x + 10, y + 5], [x, y + 5]], score: 1 });

  it('orders top to bottom, and left to right within 10 px', () => {
    const sorted = sortBoxes([box(50, 100), box(200, 3), box(10, 8), box(0, 40)]);
    expect(sorted.map((b) => b.corners[0])).toEqual([[10, 8], [200, 3], [0, 40], [50, 100]]);
  });
});
