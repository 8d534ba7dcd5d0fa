/**
 * Errors that libraries throw. They carry a stable code and a kind; only the HTTP edge
 * (apps/api's exception filter) turns the kind into a status code.
 */
export type DomainErrorKind =
  | 'invalid' // 422
  | 'bad_request' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'payment_required' // 402
  | 'too_large' // 413
  | 'unsupported_media' // 415
  | 'rate_limited' // 429
  | 'unavailable'; // 503

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
