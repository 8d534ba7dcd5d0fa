import { Injectable } from '@nestjs/common';
import { RedisConnections } from '@atelier/platform';
import { billingErrors } from '../billing-errors';

const WINDOW_MS = 60_000;

/**
 * Job submissions per user per minute, counted in Redis so the limit holds across API
 * instances. A fixed one-minute window: INCR + PEXPIRE in one round trip. Redis down: 503 at once.
 */
@Injectable()
export class SubmissionRateLimiter {
  constructor(private readonly redis: RedisConnections) {}

  async consume(userId: string, perMinute: number): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const key = `${this.redis.prefix}rate:jobs:${userId}:${window}`;
    let count: number;
    try {
      const results = await this.redis.shared.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec();
      count = Number(results?.[0]?.[1]);
    } catch {
      throw billingErrors('RATE_LIMITER_UNAVAILABLE', 'The rate limiter is unavailable; try again shortly');
    }
    if (count > perMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
      throw billingErrors('RATE_LIMITED', `Your plan allows ${perMinute} job submissions a minute`, {
        limit: perMinute,
        retryAfterSeconds,
      });
    }
  }
}
