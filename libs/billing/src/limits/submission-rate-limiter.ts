import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig, redisOptionsFromUrl } from '@atelier/platform';
import { billingErrors } from '../billing-errors';

const WINDOW_MS = 60_000;

/**
 * Job submissions per user per minute, counted in Redis so the limit holds across API
 * instances. A fixed one-minute window: INCR + PEXPIRE in one round trip.
 */
@Injectable()
export class SubmissionRateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(SubmissionRateLimiter.name);
  private readonly redis: Redis;

  constructor(private readonly config: AppConfig) {
    this.redis = new Redis({ ...redisOptionsFromUrl(config.redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', (error) => this.logger.warn(`rate limiter redis: ${error.message}`));
  }

  async consume(userId: string, perMinute: number): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const key = `${this.config.redisPrefix}rate:jobs:${userId}:${window}`;
    let count: number;
    try {
      const results = await this.redis.multi().incr(key).pexpire(key, WINDOW_MS * 2).exec();
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

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
