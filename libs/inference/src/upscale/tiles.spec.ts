import { describe, expect, it } from 'vitest';
import { planTiles } from './tiles';

describe('planTiles', () => {
  it('covers the image exactly once with owned regions', () => {
    const tiles = planTiles(300, 130, 128, 8);
    const owned = new Uint8Array(300 * 130);
    for (const t of tiles) for (let y = t.y; y < t.y + t.height; y++) for (let x = t.x; x < t.x + t.width; x++) owned[y * 300 + x] += 1;
    expect(owned.every((n) => n === 1)).toBe(true);
    expect(tiles).toHaveLength(3 * 2);
  });

  it('reads the overlap around inner edges only, clamped to the image', () => {
    const [first, second] = planTiles(200, 100, 128, 8);
    expect(first).toEqual({ x: 0, y: 0, width: 128, height: 100, readX: 0, readY: 0, readWidth: 136, readHeight: 100 });
    expect(second).toEqual({ x: 128, y: 0, width: 72, height: 100, readX: 120, readY: 0, readWidth: 80, readHeight: 100 });
  });

  it('gives one tile for a small image and refuses a zero size', () => {
    expect(planTiles(10, 10, 64, 4)).toEqual([{ x: 0, y: 0, width: 10, height: 10, readX: 0, readY: 0, readWidth: 10, readHeight: 10 }]);
    expect(() => planTiles(10, 10, 0, 4)).toThrow(/size must be/);
  });
});
