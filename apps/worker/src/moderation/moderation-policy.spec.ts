import { describe, expect, it } from 'vitest';
import { isFlagged } from './moderation-policy';

const labels = (porn: number, hentai: number, sexy: number) => ({ drawing: 0, neutral: 1 - porn - hentai - sexy, porn, hentai, sexy });

describe('isFlagged', () => {
  it('flags when porn + hentai reaches the threshold', () => {
    expect(isFlagged(labels(0.4, 0.3, 0), { threshold: 0.7, countSexy: false })).toBe(true);
    expect(isFlagged(labels(0.4, 0.29, 0.3), { threshold: 0.7, countSexy: false })).toBe(false);
  });

  it('counts sexy only when the policy says so', () => {
    expect(isFlagged(labels(0.1, 0, 0.65), { threshold: 0.7, countSexy: true })).toBe(true);
    expect(isFlagged(labels(0.1, 0, 0.65), { threshold: 0.7, countSexy: false })).toBe(false);
  });
});
