import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisConnections } from '@atelier/platform';

/** Redis answers PING on the shared connection (the one requests use) within the timeout. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly redis: RedisConnections,
  ) {}

  pingCheck(key: string, timeoutMs: number) {
    return this.indicator
      .check(key)
      .attempt(async () => {
        await this.redis.shared.ping();
      })
      .withTimeout(timeoutMs);
  }
}
