import { errorCatalog } from '@atelier/platform';

/** Sign-in, tokens, API keys, scopes and accounts. */
export const authErrors = errorCatalog({
  UNAUTHENTICATED: 'unauthenticated',
  INVALID_TOKEN: 'unauthenticated',
  INVALID_CREDENTIALS: 'unauthenticated',
  INVALID_REFRESH_TOKEN: 'unauthenticated',
  USER_GONE: 'unauthenticated',
  MISSING_SCOPE: 'forbidden',
  ADMIN_ONLY: 'forbidden',
  SESSION_REQUIRED: 'forbidden',
  EMAIL_TAKEN: 'conflict',
  PASSWORD_TOO_SHORT: 'invalid',
  INVALID_SCOPES: 'invalid',
  USER_NOT_FOUND: 'not_found',
  API_KEY_NOT_FOUND: 'not_found',
  TOO_MANY_LOGIN_ATTEMPTS: 'rate_limited',
  LOGIN_UNAVAILABLE: 'unavailable',
  OIDC_NOT_CONFIGURED: 'not_found',
  OIDC_STATE_INVALID: 'unauthenticated',
  OIDC_CODE_REJECTED: 'unauthenticated',
  OIDC_PROVIDER_DENIED: 'unauthenticated',
  OIDC_TICKET_INVALID: 'unauthenticated',
  OIDC_EMAIL_UNVERIFIED: 'forbidden',
  OIDC_PROVIDER_UNAVAILABLE: 'unavailable',
});
