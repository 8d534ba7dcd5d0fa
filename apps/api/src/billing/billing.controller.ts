import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { AuthService, CurrentPrincipal, Public, type Principal } from '@atelier/auth';
import { BillingAccounts, LedgerHistory, PlansService } from '@atelier/billing';
import { ImagesService } from '@atelier/storage';
import { PageQueryDto } from '../http/page.query';
import { ApiErrors } from '../openapi/api-errors';
import { BillingView, LedgerPage, PlanView } from './billing.views';

@Controller('v1')
@ApiErrors(503)
export class BillingController {
  constructor(
    private readonly plans: PlansService,
    private readonly accounts: BillingAccounts,
    private readonly history: LedgerHistory,
    private readonly auth: AuthService,
    private readonly images: ImagesService,
  ) {}

  @Public()
  @Get('plans')
  @ApiOkResponse({ type: [PlanView] })
  listPlans(): Promise<PlanView[]> {
    return this.plans.list();
  }

  @Get('billing')
  @ApiOkResponse({ type: BillingView })
  async billing(@CurrentPrincipal() principal: Principal): Promise<BillingView> {
    const { plan } = await this.auth.getUser(principal.userId);
    const [summary, usedBytes] = await Promise.all([this.accounts.summary(principal.userId, plan), this.images.usage(principal.userId)]);
    return { ...summary, storage: { usedBytes, quotaBytes: summary.limits.storageQuotaBytes } };
  }

  @Get('billing/ledger')
  @ApiOkResponse({ type: LedgerPage, description: 'Append-only entries, newest first' })
  @ApiErrors(400)
  ledger(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto): Promise<LedgerPage> {
    return this.history.page(principal.userId, query.cursor, query.limit);
  }
}
