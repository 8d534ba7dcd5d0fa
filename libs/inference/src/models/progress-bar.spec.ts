import { describe, expect, it } from 'vitest';
import { formatBytes, progressBar } from './progress-bar';

describe('progressBar / formatBytes', () => {
  it('draws a fixed-width bar, clamped to 0..100%', () => {
    expect(progressBar(0, 10, 10)).toBe('[----------]');
    expect(progressBar(5, 10, 10)).toBe('[#####-----]');
    expect(progressBar(20, 10, 10)).toBe('[##########]');
    expect(progressBar(0, 0, 4)).toBe('[####]');
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(442005)).toBe('431.6 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
