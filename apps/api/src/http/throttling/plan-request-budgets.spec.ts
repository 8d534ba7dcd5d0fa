import { describe, expect, it } from 'vitest';
import type { AuthService } from '@atelier/auth';
import type { PlansService } from '@atelier/billing';
import type { AppConfig } from '@atelier/platform';
import { PlanRequestBudgets } from './plan-request-budgets';

/** In-memory users and plans that count their reads. */
function budgets(planOf: Record<string, string>, perPlan: Record<string, number | null>) {
  const reads = { users: 0 };
  const auth = {
    getUser: async (id: string) => {
      reads.users++;
      if (!planOf[id]) throw new Error('no such user');
      return { plan: planOf[id] };
    },
  } as unknown as AuthService;
  const plans = { get: async (id: string) => ({ requestsPerMinute: perPlan[id] }) } as unknown as PlansService;
  const config = { apiRequestsPerMinute: 1200 } as AppConfig;
  return { budgets: new PlanRequestBudgets(auth, plans, config), reads, planOf, perPlan };
}

describe('PlanRequestBudgets', () => {
  it("answers the plan's budget, the default for plans without one, anonymous callers and unreadable users", async () => {
    const { budgets: b } = budgets({ alice: 'free', bob: 'premium' }, { free: null, premium: 6000 });
    expect(await b.limitFor('alice')).toBe(1200);
    expect(await b.limitFor('bob')).toBe(6000);
    expect(await b.limitFor(undefined)).toBe(1200);
    expect(await b.limitFor('ghost')).toBe(1200);
  });

  it('reads a user once per 30 s, then picks up a plan change', async () => {
    const t = budgets({ bob: 'free' }, { free: null, premium: 6000 });
    expect(await t.budgets.limitFor('bob', 0)).toBe(1200);
    t.planOf.bob = 'premium';
    expect(await t.budgets.limitFor('bob', 29_999)).toBe(1200);
    expect(t.reads.users).toBe(1);
    expect(await t.budgets.limitFor('bob', 30_001)).toBe(6000);
    expect(t.reads.users).toBe(2);
  });
});
