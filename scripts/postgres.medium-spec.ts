import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from './lib/net.mjs';
import { databaseName, ensurePostgres, probePostgres } from './lib/postgres.mjs';

/** The local PostgreSQL the tests use (trust auth for `postgres` on 127.0.0.1). */
const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('ensurePostgres with a reachable server', () => {
  const name = `atelier_launcher_${randomBytes(4).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const root = mkdtempSync(join(tmpdir(), 'atelier-pg-external-'));
  const unused = join(root, 'unused');
  // Stops what a failed run started after all (no server at ADMIN_URL: an embedded one), instead of leaving it running.
  const stops: Array<() => Promise<void>> = [];

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(root, { recursive: true, force: true });
    await query(ADMIN_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('creates the missing database, then just uses it', async () => {
    const first = await ensurePostgres({ databaseUrl: url.toString(), embeddedDir: unused });
    stops.push(first.stop);
    expect(first).toMatchObject({ kind: 'external', createdDatabase: true, url: url.toString() });
    expect(await query(first.url, 'SELECT current_database() AS db')).toEqual([{ db: name }]);

    const second = await ensurePostgres({ databaseUrl: url.toString(), embeddedDir: unused });
    stops.push(second.stop);
    expect(second).toMatchObject({ kind: 'external', createdDatabase: false });
    await second.stop(); // nothing to stop for an external server
    expect(existsSync(unused)).toBe(false);
  });

  it('starts nothing for an unreachable server on another machine', async () => {
    // 192.0.2.0/24 is reserved for documentation: nothing answers there.
    await expect(
      ensurePostgres({ databaseUrl: 'postgres://postgres@192.0.2.1:5432/atelier', embeddedDir: unused, connectTimeoutMs: 300 }),
    ).rejects.toThrow(/Cannot reach PostgreSQL at postgres:\/\/postgres@192\.0\.2\.1:5432\/atelier/);
  });
});

describe('ensurePostgres with nothing listening: embedded PostgreSQL', () => {
  const root = mkdtempSync(join(tmpdir(), 'atelier-pg-'));
  chmodSync(root, 0o755); // as root, the server runs as `postgres`, which must be able to enter this folder
  const dir = join(root, 'postgres');
  const stops: Array<() => Promise<void>> = [];

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });

  it('initialises once, serves the database, stops, and reuses its data on the next start', async () => {
    const closedPort = await findFreePort();
    const databaseUrl = `postgres://postgres@127.0.0.1:${closedPort}/atelier_embedded`;
    const logs: string[] = [];
    const log = (m: string) => logs.push(m);

    let t = performance.now();
    const first = await ensurePostgres({ databaseUrl, embeddedDir: dir, log });
    const firstMs = performance.now() - t;
    stops.push(first.stop);
    expect(first.kind).toBe('embedded');
    expect(first.createdDatabase).toBe(true);
    expect(databaseName(first.url)).toBe('atelier_embedded');
    expect(first.url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/atelier_embedded$/);
    expect(first.description).not.toContain(new URL(first.url).password);
    expect(logs.some((l) => l.startsWith('Initialised'))).toBe(true);
    expect(await query(first.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await query(first.url, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');

    // A second launcher while it runs (e.g. one left over): reuses that server, does not own it.
    const again = await ensurePostgres({ databaseUrl, embeddedDir: dir });
    expect(again.server.reused).toBe(true);
    expect(again.url).toBe(first.url);
    await again.stop();
    expect((await probePostgres(first.url)).status).toBe('ok');

    t = performance.now();
    await first.stop();
    const stopMs = performance.now() - t;
    expect((await probePostgres(first.url, { timeoutMs: 1_000 })).status).toBe('unreachable');

    logs.length = 0;
    t = performance.now();
    const second = await ensurePostgres({ databaseUrl, embeddedDir: dir, log });
    const secondMs = performance.now() - t;
    stops.push(second.stop);
    expect(logs.some((l) => l.startsWith('Initialised'))).toBe(false);
    expect(second.createdDatabase).toBe(false);
    expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 42 }]);
    await second.stop();
    expect((await probePostgres(second.url, { timeoutMs: 1_000 })).status).toBe('unreachable');

    console.log(
      `embedded PostgreSQL: first start (initdb + start + create db) ${Math.round(firstMs)} ms, ` +
        `stop ${Math.round(stopMs)} ms, second start (reused data) ${Math.round(secondMs)} ms`,
    );
  }, 60_000);
});
