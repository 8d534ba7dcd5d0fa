import { Injectable } from '@nestjs/common';
import { UserAdministration } from '@atelier/auth';
import { BillingAccounts } from '@atelier/billing';
import { AppConfig } from '@atelier/platform';
import type { HousekeepingTask } from '../tasks/housekeeping-task';

/**
 * Tops up every known account with its plan's monthly credits, at start-up and every
 * MONTHLY_GRANTS_INTERVAL_SECONDS (hourly), so a new month is picked up within the hour. The
 * ledger's unique (user, period) index and an advisory lock make repeats and several API instances harmless.
 */
@Injectable()
export class MonthlyGrantsTask implements HousekeepingTask {
  readonly name = 'monthly-grants';
  readonly runAtStart = true;

  constructor(
    private readonly accounts: BillingAccounts,
    private readonly users: UserAdministration,
    private readonly config: AppConfig,
  ) {}

  everyMs(): number {
    return this.config.monthlyGrantsIntervalMs;
  }

  run(): Promise<number> {
    return this.accounts.grantMonthly(async (userId) => (await this.users.get(userId).catch(() => null))?.plan ?? null);
  }
}
