import { STATUS_CODES } from 'node:http';
import type { DomainErrorKind } from '@atelier/platform';

/** The one error shape of API.md. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  invalid: 422,
  rate_limited: 429,
  unavailable: 503,
};

export function errorResponse(statusCode: number, code: string, message: string, details?: Record<string, unknown>): ErrorResponse {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message, ...(details ? { details } : {}) };
}
