import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema } from '@nestjs/swagger';
import type { ErrorResponse } from '../http/error-response';

/** The one error shape of API.md (see http/error-response.ts and AllExceptionsFilter). */
@ApiSchema({ name: 'ErrorResponse', description: 'Every 4xx/5xx answer. No stack traces or SQL, ever.' })
export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ type: 'integer', example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'Unprocessable Entity' }) error!: string;
  @ApiProperty({ description: 'Stable machine-readable code', example: 'INVALID_JOB' }) code!: string;
  @ApiProperty({ description: 'Human readable; says what to change', example: 'width must be a multiple of 8' }) message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { fields: [{ path: 'width', message: '"width" must be a multiple of 8' }] } })
  details?: Record<string, unknown>;
}

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON or wrong types (VALIDATION_FAILED with details.fields, BAD_REQUEST, INVALID_CURSOR)',
  401: 'No or bad credentials (UNAUTHENTICATED, INVALID_TOKEN)',
  402: 'Not enough credits (INSUFFICIENT_CREDITS, details: {cost, available})',
  403: 'Authenticated but not allowed (MISSING_SCOPE, ADMIN_ONLY, SESSION_REQUIRED)',
  404: 'Not found, or not yours',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Semantically invalid',
  429: 'Rate or concurrency limit; retry after Retry-After seconds',
  503: 'A dependency (database, Redis, storage) is down; try again shortly',
};

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } };

/** Documents error answers as ErrorResponse: a status, or [status, what it means on this route]. */
export const ApiErrors = (...errors: Array<number | [number, string]>) =>
  applyDecorators(
    ...errors.map((error) => {
      const [status, description] = Array.isArray(error) ? error : [error, ERROR_DESCRIPTIONS[error]];
      return ApiResponse({ status, description, type: ErrorResponseDto, ...(status === 429 ? { headers: RETRY_AFTER } : {}) });
    }),
  );
