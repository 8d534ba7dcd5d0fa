import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressCoalescer } from './progress-coalescer';

describe('ProgressCoalescer', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const sent: Array<[string, number]> = [];
    const coalescer = new ProgressCoalescer<number>(async (jobId, step) => void sent.push([jobId, step]), 250, () => undefined);
    return { sent, coalescer };
  };

  it('sends the first update at once and, within the interval, only the latest one when it ends', async () => {
    const { sent, coalescer } = make();
    await coalescer.offer('a', 1, false);
    for (const step of [2, 3, 4]) await coalescer.offer('a', step, false);
    expect(sent).toEqual([['a', 1]]);
    await vi.advanceTimersByTimeAsync(250);
    expect(sent).toEqual([['a', 1], ['a', 4]]);
  });

  it('sends urgent updates at once and replaces what was pending', async () => {
    const { sent, coalescer } = make();
    await coalescer.offer('a', 1, false);
    await coalescer.offer('a', 2, false);
    await coalescer.offer('a', 10, true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([['a', 1], ['a', 10]]);
  });

  it('drops a pending update when the job is forgotten (its final event goes out next)', async () => {
    const { sent, coalescer } = make();
    await coalescer.offer('a', 1, false);
    await coalescer.offer('a', 2, false);
    coalescer.forget('a');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([['a', 1]]);
    expect(coalescer.pendingCount()).toBe(0);
  });

  it('lengthens the interval with the number of active jobs, so the total stays bounded', async () => {
    const { sent, coalescer } = make();
    for (let job = 0; job < 40; job++) await coalescer.offer(`j${job}`, 0, false);
    expect(coalescer.intervalMs()).toBe(2000); // 40 jobs at 20 per second
    sent.length = 0;
    // Each job reports 10 steps a second for 4 seconds: 1600 updates offered.
    for (let tick = 1; tick <= 40; tick++) {
      await vi.advanceTimersByTimeAsync(100);
      for (let job = 0; job < 40; job++) await coalescer.offer(`j${job}`, tick, false);
    }
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent.length).toBeLessThanOrEqual(40 * 3);
    // Nothing is lost for good: every job's last report arrived.
    for (let job = 0; job < 40; job++) expect(sent.filter(([id]) => id === `j${job}`).at(-1)?.[1]).toBe(40);
  });
});
