import { describe, expect, it } from 'vitest';
import { upsideDown } from './text-direction';

describe('upsideDown', () => {
  it('turns only crops called upside down with more than 0.9', () => {
    const probs = Float32Array.from([0.99, 0.01, 0.05, 0.95, 0.15, 0.85, 0.5, 0.5]);
    expect(upsideDown(probs, 4)).toEqual([false, true, false, false]);
  });
});
