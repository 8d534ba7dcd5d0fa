import { Controller, Get, Query } from '@nestjs/common';
import { AuthService, CurrentPrincipal, Public, type Principal } from '@atelier/auth';
import { BillingAccounts, LedgerHistory, PlansService, type BillingSummary, type LedgerEntryView, type PlanView } from '@atelier/billing';
import type { Page } from '@atelier/platform';
import { PageQueryDto } from '../http/page.query';

@Controller('v1')
export class BillingController {
  constructor(
    private readonly plans: PlansService,
    private readonly accounts: BillingAccounts,
    private readonly history: LedgerHistory,
    private readonly auth: AuthService,
  ) {}

  @Public()
  @Get('plans')
  listPlans(): Promise<PlanView[]> {
    return this.plans.list();
  }

  @Get('billing')
  async billing(@CurrentPrincipal() principal: Principal): Promise<BillingSummary> {
    const { plan } = await this.auth.getUser(principal.userId);
    return this.accounts.summary(principal.userId, plan);
  }

  @Get('billing/ledger')
  ledger(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<Page<LedgerEntryView>> {
    return this.history.page(principal.userId, query.cursor, query.limit);
  }
}
