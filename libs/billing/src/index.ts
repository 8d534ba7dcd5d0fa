export { BillingModule } from './billing.module';
export { billingErrors } from './billing-errors';
export { BillingAccounts, currentPeriod, type BillingSummary } from './billing-accounts';
export { CreditLedger, type Balance } from './ledger/credit-ledger';
export { LedgerHistory } from './ledger/ledger-history';
export type { LedgerEntryView, LedgerKind } from './ledger/ledger-entry.entity';
export { SubmissionRateLimiter } from './limits/submission-rate-limiter';
export { PlansService, type PlanLimits } from './plans/plans.service';
export type { PlanView } from './plans/plan.entity';
