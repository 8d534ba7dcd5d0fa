import { describe, expect, it } from 'vitest';
import { normalCdf, significanceHint } from './template-stats';

describe('significanceHint', () => {
  it('needs two rated versions', () => {
    expect(significanceHint([{ version: 1, jobs: 3, ratings: 3, averageScore: 4, scoreStdDev: 1, qualityImages: 0, averageQuality: null }])).toBeNull();
  });

  it('computes the ratings per version needed for the observed difference (5 %, 80 % power, sd 1.2)', () => {
    const hint = significanceHint([
      { version: 1, jobs: 10, ratings: 10, averageScore: 3.5, scoreStdDev: 1, qualityImages: 0, averageQuality: null },
      { version: 2, jobs: 10, ratings: 10, averageScore: 4.0, scoreStdDev: 1, qualityImages: 0, averageQuality: null },
    ]);
    // n = 2 · (1.96 + 0.84)² · 1.2² / 0.5² = 90.3 → 91; z = 0.5 / √(1/10 + 1/10) = 1.118 → p = 0.2636
    expect(hint).toEqual({ compared: [2, 1], difference: 0.5, ratingsNeededPerVersion: 91, enough: false, pValue: 0.2636 });
  });

  it('says when there are enough ratings, with a small p-value', () => {
    const hint = significanceHint([
      { version: 1, jobs: 500, ratings: 400, averageScore: 2, scoreStdDev: 1.1, qualityImages: 0, averageQuality: null },
      { version: 2, jobs: 500, ratings: 400, averageScore: 4, scoreStdDev: 1.1, qualityImages: 0, averageQuality: null },
    ]);
    expect(hint).toMatchObject({ enough: true, pValue: 0 });
  });

  it('gives no p-value while a version has a single rating', () => {
    const hint = significanceHint([
      { version: 1, jobs: 1, ratings: 1, averageScore: 2, scoreStdDev: null, qualityImages: 0, averageQuality: null },
      { version: 2, jobs: 5, ratings: 5, averageScore: 4, scoreStdDev: 0.5, qualityImages: 0, averageQuality: null },
    ]);
    expect(hint?.pValue).toBeNull();
  });
});

describe('normalCdf', () => {
  it('matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-1)).toBeCloseTo(0.1587, 4);
  });
});
