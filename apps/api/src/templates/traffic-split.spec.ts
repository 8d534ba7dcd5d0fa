import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assignVersion, checkSplit } from './traffic-split';

const TEMPLATE = '5a0c6f9e-3d1b-4c2a-8e7f-6b5a4c3d2e1f';

describe('traffic split', () => {
  it('assigns each user the same version every time, and spreads users by the weights', () => {
    const split = { '2': 25, '3': 75 };
    const users = Array.from({ length: 4000 }, () => randomUUID());
    const counts = { 2: 0, 3: 0 } as Record<number, number>;
    for (const user of users) {
      const version = assignVersion(split, TEMPLATE, user);
      expect(assignVersion(split, TEMPLATE, user)).toBe(version);
      counts[version]++;
    }
    // 4000 draws at p = 0.25: σ ≈ 27, so ±150 is more than 5σ.
    expect(Math.abs(counts[2] - 1000)).toBeLessThan(150);
    expect(counts[2] + counts[3]).toBe(4000);
  });

  it('gives another template an independent assignment, and a single version all the traffic', () => {
    const users = Array.from({ length: 200 }, () => randomUUID());
    const a = users.map((u) => assignVersion({ '1': 50, '2': 50 }, TEMPLATE, u));
    const b = users.map((u) => assignVersion({ '1': 50, '2': 50 }, randomUUID(), u));
    expect(a).not.toEqual(b);
    expect(new Set(users.map((u) => assignVersion({ '4': 1 }, TEMPLATE, u)))).toEqual(new Set([4]));
  });

  it('refuses unknown versions, bad weights and empty splits', () => {
    expect(checkSplit({ '3': 50, '2': 50 }, [1, 2, 3])).toEqual({ '2': 50, '3': 50 });
    expect(() => checkSplit({ '4': 50 }, [1, 2, 3])).toThrow(expect.objectContaining({ code: 'INVALID_SPLIT' }));
    expect(() => checkSplit({ '2': 0 }, [1, 2])).toThrow(expect.objectContaining({ code: 'INVALID_SPLIT' }));
    expect(() => checkSplit({ '2': 1.5 }, [1, 2])).toThrow(expect.objectContaining({ code: 'INVALID_SPLIT' }));
    expect(() => checkSplit({ '02': 5 }, [1, 2])).toThrow(expect.objectContaining({ code: 'INVALID_SPLIT' }));
    expect(() => checkSplit({}, [1])).toThrow(expect.objectContaining({ code: 'INVALID_SPLIT' }));
  });
});
