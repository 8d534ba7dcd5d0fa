import { ClientRedis, type MessageHandler, type MsPattern, ServerRedis } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import type { RedisConnections } from './redis-connections';

/*
 * Nest's Redis transport names each pub/sub channel after the message pattern alone, so two
 * deployments (or two test runs) on one Redis would hear each other's messages. The server and
 * client below put REDIS_PREFIX in front of every channel, and take their connections from
 * RedisConnections (named, logged once per outage, closed at shutdown) instead of opening their own.
 */

/** The receiving side (the worker): handlers are registered under `<prefix><pattern>`. */
export class PrefixedRedisServer extends ServerRedis {
  constructor(private readonly redis: RedisConnections) {
    super({});
  }

  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler?: boolean, extras?: Record<string, unknown>): void {
    super.addHandler(`${this.redis.prefix}${this.normalizePattern(pattern as MsPattern)}`, callback, isEventHandler, extras);
  }

  /** Subscriber and reply connections; they reconnect by themselves and resubscribe. */
  override async createRedisClient(): Promise<Redis> {
    return this.redis.dedicated('control-server', { lazyConnect: true });
  }

  /** RedisConnections logs connection errors already (throttled); Nest's would log each retry. */
  override registerErrorListener(): void {}

  /** Shutdown must not fail because Redis is down or the connection was closed first. */
  override async close(): Promise<void> {
    await super.close().catch(() => undefined);
  }
}

/** The sending side (the API): every pattern is published on `<prefix><pattern>`. Fails fast while Redis is down. */
export class PrefixedRedisClient extends ClientRedis {
  constructor(private readonly redis: RedisConnections) {
    super({});
  }

  protected override normalizePattern(pattern: MsPattern): string {
    return `${this.redis.prefix}${super.normalizePattern(pattern)}`;
  }

  override async createClient(): Promise<Redis> {
    return this.redis.dedicated('control-client', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  }

  override registerErrorListener(): void {}

  override async close(): Promise<void> {
    await super.close().catch(() => undefined);
  }
}
