import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AllExceptionsFilter } from '../http/all-exceptions.filter';
import { errorResponse, type ErrorResponse } from '../http/error-response';
import { JobOutcomeError } from './job-outcome';
import { toOpenAiError } from './openai-error';

/**
 * The OpenAI surface's errors: the API's own mapping (statuses, codes, 503 for a dependency
 * down), then OpenAI's body shape. Scoped to its controllers, so it also gets the auth guard's
 * 401/403 and the request limit's 429.
 */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly api = new AllExceptionsFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    this.write(exception, host.switchToHttp().getRequest<Request>(), host.switchToHttp().getResponse<Response>());
  }

  write(exception: unknown, request: Request, response: Response): void {
    const answer: ErrorResponse =
      exception instanceof JobOutcomeError ? errorResponse(exception.status, exception.code, exception.message) : this.api.toResponse(exception, request);
    if (answer.statusCode === 429 && answer.details?.retryAfterSeconds) response.setHeader('Retry-After', String(answer.details.retryAfterSeconds));
    // OpenAI's SDKs retry 408, 409, 429 and 5xx by themselves; for a job that ran, that would be a second job.
    if (exception instanceof JobOutcomeError) response.setHeader('x-should-retry', 'false');
    response.status(answer.statusCode).json(toOpenAiError(answer));
  }
}

/**
 * A body the JSON parser refuses (malformed, too large) fails before routing, where only the
 * global filter would answer it; under /openai it gets OpenAI's shape too. Call it right after
 * registering the body parser.
 */
export function answerOpenAiBodyErrors(app: NestExpressApplication): void {
  const filter = new OpenAiExceptionFilter();
  app.use('/openai', (error: unknown, request: Request, response: Response, _next: NextFunction) => filter.write(error, request, response));
}
