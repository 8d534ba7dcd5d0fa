import type { RedisOptions } from 'ioredis';

/** ioredis options from a redis:// URL, shared by Bull, the Socket.IO adapter and caches. */
export function redisOptionsFromUrl(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname && url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/** The Socket.IO adapter (API) and emitter (worker) must agree on this channel key. */
export const socketIoRedisKey = (prefix: string) => `${prefix}socket.io`;
