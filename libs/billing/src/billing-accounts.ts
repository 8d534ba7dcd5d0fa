import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTryAdvisoryLock } from '@atelier/platform';
import { CreditLedger, type Balance } from './ledger/credit-ledger';
import type { PlanView } from './plans/plan.entity';
import { PlansService } from './plans/plans.service';

/** Grants are per calendar month (UTC): "2026-11". */
export const currentPeriod = (now = new Date()) => now.toISOString().slice(0, 7);

const GRANTS_LOCK_KEY = 0x62_69_6c_6c_69_6e_67n; // "billing"

export interface BillingSummary extends Balance {
  plan: string;
  limits: PlanView;
}

/** A user's credits and limits, and the monthly grants that keep them topped up. */
@Injectable()
export class BillingAccounts {
  private readonly logger = new Logger(BillingAccounts.name);
  /** "user:period" pairs already granted by this process: skips a write on every submit. */
  private readonly grantedThisProcess = new Set<string>();

  constructor(
    private readonly ledger: CreditLedger,
    private readonly plans: PlansService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async summary(userId: string, planId: string): Promise<BillingSummary> {
    const limits = await this.plans.get(planId);
    await this.ensureMonthlyGrant(userId, limits);
    return { plan: planId, limits, ...(await this.ledger.balanceOf(userId)) };
  }

  /** Idempotent: the ledger's unique (user, period) index lets a grant happen once a month. */
  async ensureMonthlyGrant(userId: string, plan: PlanView, period = currentPeriod()): Promise<void> {
    const key = `${userId}:${period}`;
    if (plan.monthlyCredits <= 0 || this.grantedThisProcess.has(key)) return;
    await this.ledger.grant(userId, plan.monthlyCredits, `monthly ${plan.id} credits`, period);
    if (this.grantedThisProcess.size > 100_000) this.grantedThisProcess.clear();
    this.grantedThisProcess.add(key);
  }

  /**
   * The monthly run for every known account. Safe to run twice and on two API instances at
   * once: an advisory lock lets one run at a time and the unique index drops repeats.
   */
  async grantMonthly(planOf: (userId: string) => Promise<string | null>, period = currentPeriod()): Promise<number> {
    return withTryAdvisoryLock(this.dataSource, GRANTS_LOCK_KEY, 0, async (tx) => {
      const users = (await tx.query('SELECT user_id FROM balances')) as Array<{ user_id: string }>;
      let granted = 0;
      for (const { user_id: userId } of users) {
        const planId = await planOf(userId);
        if (!planId) continue;
        const plan = await this.plans.get(planId);
        if (plan.monthlyCredits > 0 && (await this.ledger.grant(userId, plan.monthlyCredits, `monthly ${plan.id} credits`, period, tx))) granted++;
      }
      this.logger.log({ period, granted }, 'monthly grants done');
      return granted;
    });
  }
}
