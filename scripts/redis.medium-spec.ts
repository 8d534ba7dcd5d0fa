import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from './lib/net.mjs';
import { ensureRedis, findExecutable, pingRedis } from './lib/redis.mjs';

/** The local Redis the tests use. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisServer = findExecutable('redis-server');

describe('ensureRedis', () => {
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop().catch(() => {});
  });

  it('uses a Redis that answers PING', async () => {
    const result = await ensureRedis({ redisUrl: REDIS_URL });
    stops.push(result.stop); // with no Redis at REDIS_URL it started one: stopped afterwards, not left running
    expect(result).toMatchObject({ kind: 'external', url: REDIS_URL });
    await result.stop(); // must not stop a server it did not start
    expect((await pingRedis(REDIS_URL)).status).toBe('ok');
  });

  it.skipIf(!redisServer)('starts a redis-server when nothing listens on a local port, and stops it', async () => {
    const closedPort = await findFreePort();
    const result = await ensureRedis({ redisUrl: `redis://127.0.0.1:${closedPort}/2` });
    stops.push(result.stop);
    expect(result.kind).toBe('started');
    expect(result.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/2$/); // keeps the database number
    expect(result.url).not.toBe(`redis://127.0.0.1:${closedPort}/2`);
    expect(await pingRedis(result.url)).toEqual({ status: 'ok' });
    await result.stop();
    expect((await pingRedis(result.url, { timeoutMs: 500 })).status).toBe('unreachable');
  });

  it('says how to get Redis when none answers and redis-server is missing', async () => {
    const closedPort = await findFreePort();
    await expect(ensureRedis({ redisUrl: `redis://127.0.0.1:${closedPort}`, redisServer: 'atelier-no-such-redis-server' })).rejects.toThrow(
      /apt-get install redis-server.*REDIS_URL/s,
    );
  });

  it('starts nothing for an unreachable server on another machine', async () => {
    await expect(ensureRedis({ redisUrl: 'redis://192.0.2.1:6379', timeoutMs: 300 })).rejects.toThrow(/Cannot reach Redis at redis:\/\/192\.0\.2\.1:6379/);
  });
});
