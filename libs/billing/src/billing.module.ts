import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingAccounts } from './billing-accounts';
import { CreditLedger } from './ledger/credit-ledger';
import { LedgerEntryEntity } from './ledger/ledger-entry.entity';
import { LedgerHistory } from './ledger/ledger-history';
import { SubmissionRateLimiter } from './limits/submission-rate-limiter';
import { PlanEntity } from './plans/plan.entity';
import { PlansService } from './plans/plans.service';

@Module({
  imports: [TypeOrmModule.forFeature([PlanEntity, LedgerEntryEntity])],
  providers: [PlansService, CreditLedger, LedgerHistory, SubmissionRateLimiter, BillingAccounts],
  exports: [PlansService, CreditLedger, LedgerHistory, SubmissionRateLimiter, BillingAccounts],
})
export class BillingModule {}
