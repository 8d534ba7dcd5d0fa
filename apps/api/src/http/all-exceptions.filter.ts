import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, isDependencyDown, isInvalidInputForDatabase } from '@atelier/platform';
import { errorResponse, STATUS_OF_KIND, type ErrorResponse } from './error-response';

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'UNPROCESSABLE', 429: 'RATE_LIMITED',
};

/** Maps every error to the contract's shape: domain codes, Nest's HTTP errors, dependencies down (503), bugs (500). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const body = this.toResponse(exception, request);
    if ((body.statusCode === 429 || body.statusCode === 503) && body.details?.retryAfterSeconds) {
      response.setHeader('Retry-After', String(body.details.retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
  }

  /** The answer for an error, before it is written: also the start of the OpenAI surface's own shape. */
  toResponse(exception: unknown, request: Request): ErrorResponse {
    if (exception instanceof DomainError) {
      return errorResponse(STATUS_OF_KIND[exception.kind], exception.code, exception.message, exception.details);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message = typeof payload === 'string' ? payload : (payload as { message?: unknown }).message;
      const text = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
      return errorResponse(status, CODE_OF_STATUS[status] ?? 'HTTP_ERROR', text);
    }
    const status = (exception as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser and multer errors (malformed JSON, body too large) carry their status.
      const message = status === 400 ? 'The request body is not valid JSON' : (exception as Error).message;
      return errorResponse(status, CODE_OF_STATUS[status] ?? 'HTTP_ERROR', message);
    }
    if (isInvalidInputForDatabase(exception)) {
      return errorResponse(400, 'INVALID_VALUE', 'A value in the request cannot be stored (e.g. a NUL character or a number out of range)');
    }
    if (isDependencyDown(exception)) {
      this.logger.warn({ path: request.url, err: (exception as Error).message }, 'dependency unavailable');
      return errorResponse(503, 'DEPENDENCY_UNAVAILABLE', 'A backing service is unavailable; try again shortly');
    }
    this.logger.error({ path: request.url, err: exception }, 'unhandled error');
    return errorResponse(500, 'INTERNAL', 'An unexpected error occurred');
  }
}
