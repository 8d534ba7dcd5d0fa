import { describe, expect, it } from 'vitest';
import { significanceHint } from './template-stats';

describe('significanceHint', () => {
  it('needs two rated versions', () => {
    expect(significanceHint([{ version: 1, jobs: 3, ratings: 3, averageScore: 4, qualityImages: 0, averageQuality: null }])).toBeNull();
  });

  it('computes the ratings per version needed for the observed difference (5 %, 80 % power, sd 1.2)', () => {
    const hint = significanceHint([
      { version: 1, jobs: 10, ratings: 10, averageScore: 3.5, qualityImages: 0, averageQuality: null },
      { version: 2, jobs: 10, ratings: 10, averageScore: 4.0, qualityImages: 0, averageQuality: null },
    ]);
    // n = 2 · (1.96 + 0.84)² · 1.2² / 0.5² = 90.3 → 91
    expect(hint).toEqual({ compared: [2, 1], difference: 0.5, ratingsNeededPerVersion: 91, enough: false });
  });

  it('says when there are enough ratings', () => {
    const hint = significanceHint([
      { version: 1, jobs: 500, ratings: 400, averageScore: 2, qualityImages: 0, averageQuality: null },
      { version: 2, jobs: 500, ratings: 400, averageScore: 4, qualityImages: 0, averageQuality: null },
    ]);
    expect(hint?.enough).toBe(true);
  });
});

