import { describe, expect, it } from 'vitest';
import { bullPriority, fairBullPriority, MAX_PLAN_PRIORITY } from './plan-limits';

describe('fairBullPriority', () => {
  it('orders by plan first, then puts a job behind the jobs its owner already has waiting', () => {
    const premiumBurst = fairBullPriority(MAX_PLAN_PRIORITY, 998);
    const freeFirst = fairBullPriority(1, 0);
    expect(premiumBurst).toBeLessThan(freeFirst);
    expect(fairBullPriority(1, 0)).toBeLessThan(fairBullPriority(1, 1));
    expect(fairBullPriority(1, 5)).toBe(fairBullPriority(1, 0) + 5);
    // The top band's first job is what aging promotes to.
    expect(fairBullPriority(MAX_PLAN_PRIORITY, 0)).toBe(bullPriority(MAX_PLAN_PRIORITY));
    // A huge burst stays inside its band.
    expect(fairBullPriority(2, 1_000_000)).toBeLessThan(fairBullPriority(1, 0));
  });
});
