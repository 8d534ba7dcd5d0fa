import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { redisOptionsFromUrl } from './redis-connection';

/** How long start-up waits for the first connection before going on without Redis (it reconnects by itself). */
const FIRST_CONNECT_WAIT_MS = 3000;
/** The same error on one connection is logged at most this often: a Redis outage retries many times a second. */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * The process's Redis connections, all from REDIS_URL. `shared` is the one command connection
 * every request path uses: it fails fast while Redis is down (no offline queue, one retry), so a
 * request gets a 503 instead of hanging. `dedicated()` opens a connection of its own for what
 * cannot share one (pub/sub subscribers, Socket.IO's adapter); those wait for Redis to return.
 * Every connection logs its errors (throttled) and is closed when the application shuts down.
 */
@Injectable()
export class RedisConnections implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly open = new Set<Redis>();
  readonly shared: Redis;

  constructor(private readonly config: AppConfig) {
    this.shared = this.dedicated('shared', { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  }

  /** REDIS_PREFIX: every key and channel of this deployment starts with it. */
  get prefix(): string {
    return this.config.redisPrefix;
  }

  /** A connection of its own, named in logs and in Redis (CLIENT LIST); closed at shutdown. */
  dedicated(name: string, overrides: RedisOptions = {}): Redis {
    const client = new Redis({ ...redisOptionsFromUrl(this.config.redisUrl), connectionName: `atelier:${name}`, ...overrides });
    let lastLogged = { message: '', at: 0 };
    client.on('error', (error: Error) => {
      const now = Date.now();
      if (error.message === lastLogged.message && now - lastLogged.at < ERROR_LOG_INTERVAL_MS) return;
      lastLogged = { message: error.message, at: now };
      this.logger.warn(`${name}: ${error.message}`);
    });
    client.on('ready', () => {
      if (lastLogged.message) this.logger.log(`${name}: connected again`);
      lastLogged = { message: '', at: 0 };
    });
    client.once('end', () => this.open.delete(client));
    this.open.add(client);
    return client;
  }

  /** Waits (briefly) for the shared connection, so the first commands do not fail just for being early. */
  async onModuleInit(): Promise<void> {
    if (this.shared.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.shared.off('ready', done).off('error', done);
        resolve();
      };
      const timer = setTimeout(done, FIRST_CONNECT_WAIT_MS);
      this.shared.once('ready', done).once('error', done);
    });
  }

  /** Last of the shutdown hooks, so that the others (heartbeat removal, final events) still have Redis. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((client) => close(client)));
  }
}

/** QUIT when connected (pending replies arrive), else drop the socket; never waits on a Redis that is down. */
async function close(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  const timer = setTimeout(() => client.disconnect(), 1000);
  await client.quit().catch(() => client.disconnect());
  clearTimeout(timer);
}
