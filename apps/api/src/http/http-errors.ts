import { errorCatalog } from '@atelier/platform';

/** Codes the HTTP edge itself answers with: request shapes no module sees. */
export const httpErrors = errorCatalog({
  VALIDATION_FAILED: 'bad_request',
  FILE_MISSING: 'bad_request',
  RATE_LIMITED: 'rate_limited',
  NOT_READY: 'unavailable',
});
