import { errorCatalog } from '@atelier/platform';

/** Credits, plans and the submission rate. */
export const billingErrors = errorCatalog({
  INSUFFICIENT_CREDITS: 'payment_required',
  UNKNOWN_PLAN: 'invalid',
  INVALID_PLAN_LIMIT: 'invalid',
  RATE_LIMITED: 'rate_limited',
  RATE_LIMITER_UNAVAILABLE: 'unavailable',
});
