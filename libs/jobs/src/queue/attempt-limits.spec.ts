import { describe, expect, it } from 'vitest';
import { attemptBudgetMs, jobDeadlineMs } from './attempt-limits';

const none = { attemptTimeoutCapMs: 0, deadlineCapMs: 0 };

describe('attempt limits', () => {
  it('gives a job its four attempts at full length plus the backoff between them, unless capped', () => {
    expect(jobDeadlineMs('resize', none)).toBe(4 * 60_000 + 7_000);
    expect(jobDeadlineMs('txt2img', none)).toBe(4 * 120_000 + 7_000);
    expect(jobDeadlineMs('txt2img', { attemptTimeoutCapMs: 0, deadlineCapMs: 5_000 })).toBe(5_000);
  });

  it("bounds an attempt by its type's limit, the operator's cap and what is left of the deadline", () => {
    const now = 1_000_000;
    const far = new Date(now + 10 * 60_000);
    expect(attemptBudgetMs('txt2img', far, none, now)).toBe(120_000);
    expect(attemptBudgetMs('txt2img', far, { attemptTimeoutCapMs: 1_500, deadlineCapMs: 0 }, now)).toBe(1_500);
    expect(attemptBudgetMs('txt2img', new Date(now + 900), none, now)).toBe(900);
    expect(attemptBudgetMs('txt2img', new Date(now - 1), none, now)).toBe(0);
  });
});
