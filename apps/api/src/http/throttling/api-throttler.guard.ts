import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import { DomainError } from '@atelier/platform';
import { httpErrors } from '../http-errors';

/** A Redis outage would log on every request; once per this long is enough. */
const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * The per-user request limit on every HTTP route (API_REQUESTS_PER_MINUTE). 429 in the API's
 * error shape with Retry-After. While Redis is down the limit is not enforced: pages and polls
 * that only need Postgres keep working, and what needs Redis answers 503 on its own.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  private readonly outageLogger = new Logger('ApiThrottler');
  private lastOutageLog = 0;

  /** Sockets are limited by their handshake, not per message. */
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (Date.now() - this.lastOutageLog > OUTAGE_LOG_INTERVAL_MS) {
        this.lastOutageLog = Date.now();
        this.outageLogger.warn(`request limit not enforced, its store is unavailable: ${(error as Error).message}`);
      }
      return true;
    }
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw httpErrors('RATE_LIMITED', `Too many requests: ${detail.limit} a minute are allowed; wait before trying again`, {
      limit: detail.limit,
      retryAfterSeconds: Math.max(1, detail.timeToBlockExpire),
    });
  }
}
