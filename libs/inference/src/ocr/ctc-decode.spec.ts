import { describe, expect, it } from 'vitest';
import { ctcCharset, ctcGreedyDecode } from './ctc-decode';

describe('ctcCharset', () => {
  it('puts the blank first and a space last, ignoring the final newline', () => {
    expect(ctcCharset('a\nb\r\nc\n')).toEqual(['', 'a', 'b', 'c', ' ']);
    expect(ctcCharset('a\nb')).toEqual(['', 'a', 'b', ' ']);
  });
});

describe('ctcGreedyDecode', () => {
  const charset = ctcCharset('h\ni'); // 0 blank, 1 h, 2 i, 3 space
  /** One step per class index, that class at `p`, the rest sharing what is left. */
  const steps = (best: number[], p = 0.9) =>
    Float32Array.from(best.flatMap((k) => charset.map((_, c) => (c === k ? p : (1 - p) / (charset.length - 1)))));

  it('merges repeats, drops blanks, keeps a letter repeated across a blank', () => {
    const best = [1, 1, 0, 2, 3, 1, 0, 1, 0];
    expect(ctcGreedyDecode(steps(best), best.length, charset)).toEqual({ text: 'hi hh', confidence: expect.closeTo(0.9, 5) });
  });

  it('gives empty text with confidence 0 for all blanks', () => {
    expect(ctcGreedyDecode(steps([0, 0, 0]), 3, charset)).toEqual({ text: '', confidence: 0 });
  });

  it('refuses an output that does not match the dictionary', () => {
    expect(() => ctcGreedyDecode(new Float32Array(10), 2, charset)).toThrow(/expected 2 steps x 4 classes/);
  });
});
