import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/app-config';
import { PrefixedRedisClient, PrefixedRedisServer } from './prefixed-redis-transport';
import { RedisConnections } from './redis-connections';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One deployment's side of the transport on the real Redis: its connections, a server with a `ping` event handler, a client. */
async function deployment(redisUrl = REDIS_URL) {
  const redis = new RedisConnections({ redisUrl, redisPrefix: `atelier-test-${randomBytes(4).toString('hex')}:` } as AppConfig);
  const received: unknown[] = [];
  const waiters: Array<() => void> = [];
  const server = new PrefixedRedisServer(redis);
  server.addHandler('ping', async (data: unknown) => {
    received.push(data);
    waiters.splice(0).forEach((wake) => wake());
  }, true);
  const client = new PrefixedRedisClient(redis);
  const nextMessage = () => new Promise<void>((resolve) => waiters.push(resolve));
  const close = async () => {
    await client.close();
    await server.close();
    await redis.onApplicationShutdown();
  };
  return { redis, server, client, received, nextMessage, close };
}

const listen = (server: PrefixedRedisServer) => new Promise<void>((resolve, reject) => void server.listen((error) => (error ? reject(error) : resolve())));

describe('PrefixedRedisServer / PrefixedRedisClient (Nest Redis transport, real Redis)', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(open.map((d) => d.close()));
  });

  it("keeps two deployments on one Redis apart: each hears only its own prefix's messages", async () => {
    const a = await deployment();
    const b = await deployment();
    open.push(a, b);
    await Promise.all([listen(a.server), listen(b.server)]);
    // The shared connection fails fast (no offline queue): wait until it is up before using it.
    if (a.redis.shared.status !== 'ready') await new Promise((resolve) => a.redis.shared.once('ready', resolve));
    // The channel carries the prefix (Nest alone would subscribe to plain `ping`).
    const channels = (await a.redis.shared.call('PUBSUB', 'CHANNELS', `${a.redis.prefix}*`)) as string[];
    expect(channels).toEqual([`${a.redis.prefix}ping`]);

    const atA = a.nextMessage();
    await lastValueFrom(a.client.emit('ping', { from: 'a' }), { defaultValue: undefined });
    await atA;
    // Redis delivers a PUBLISH to every subscriber before the next command, so had B been
    // subscribed to A's channel it would have A's message before its own.
    const atB = b.nextMessage();
    await lastValueFrom(b.client.emit('ping', { from: 'b' }), { defaultValue: undefined });
    await atB;
    expect(a.received).toEqual([{ from: 'a' }]);
    expect(b.received).toEqual([{ from: 'b' }]);
  });

  it('fails fast, without hanging, when Redis cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const dead = await deployment(`redis://127.0.0.1:${port}`);
    open.push(dead);
    const started = Date.now();
    await expect(lastValueFrom(dead.client.emit('ping', { from: 'nowhere' }))).rejects.toBeDefined();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
