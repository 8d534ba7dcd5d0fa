import { Injectable } from '@nestjs/common';
import { UserAdministration } from '@atelier/auth';
import { BillingAccounts } from '@atelier/billing';
import { IntervalTask } from '../tasks/interval-task';

/**
 * Tops up every known account with its plan's monthly credits, at start-up and hourly, so
 * a new month is picked up within the hour. The ledger's unique (user, period) index and
 * an advisory lock make repeats and several API instances harmless.
 */
@Injectable()
export class MonthlyGrantsTask extends IntervalTask {
  protected override readonly runAtStart = true;

  constructor(
    private readonly accounts: BillingAccounts,
    private readonly users: UserAdministration,
  ) {
    super();
  }

  protected intervalMs(): number {
    return 3600_000;
  }

  protected runOnce(): Promise<number> {
    return this.accounts.grantMonthly(async (userId) => (await this.users.get(userId).catch(() => null))?.plan ?? null);
  }
}
