import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';

/** Base URLs of the services the tests use; override to point elsewhere. */
const ADMIN_DATABASE_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * One isolated world per test file: its own database (created and dropped here), its own
 * Redis key prefix (keys deleted afterwards) and its own storage folder.
 */
export class TestEnvironment {
  readonly id = randomBytes(4).toString('hex');
  readonly databaseName = `atelier_test_${this.id}`;
  readonly databaseUrl: string;
  readonly redisUrl = REDIS_URL;
  readonly redisPrefix = `atelier-test-${this.id}:`;
  readonly storageDir = mkdtempSync(join(tmpdir(), 'atelier-storage-'));
  readonly jwtSecret = randomBytes(32).toString('hex');

  constructor() {
    const url = new URL(ADMIN_DATABASE_URL);
    url.pathname = `/${this.databaseName}`;
    this.databaseUrl = url.toString();
  }

  async create(): Promise<void> {
    await withAdminClient((db) => db.query(`CREATE DATABASE ${this.databaseName}`));
  }

  /** The environment variables both apps start with. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'test',
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.redisPrefix,
      STORAGE_DIR: this.storageDir,
      MODELS_DIR: process.env.TEST_MODELS_DIR ?? join(process.cwd(), '.data', 'models'),
      JWT_SECRET: this.jwtSecret,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      WORKER_METRICS_PORT: '0',
      ...extra,
    };
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const db = new Client({ connectionString: this.databaseUrl });
    await db.connect();
    try {
      return (await db.query(sql, params)).rows as T[];
    } finally {
      await db.end();
    }
  }

  redis(): Redis {
    return new Redis(this.redisUrl);
  }

  /** True once Bull holds the job as finished (completed or failed): the worker has let go of it. */
  async queueJobFinished(jobId: string): Promise<boolean> {
    const [row] = await this.query<{ lane: string }>('SELECT lane FROM jobs WHERE id = $1', [jobId]);
    if (!row) throw new Error(`no job ${jobId}`);
    const redis = this.redis();
    try {
      // Light GPU work waits in the lane's `-light` queue.
      for (const queue of [row.lane, `${row.lane}-light`]) {
        if ((await redis.hget(`${this.redisPrefix}bull:${queue}:${jobId}`, 'finishedOn')) !== null) return true;
      }
      return false;
    } finally {
      redis.disconnect();
    }
  }

  async destroy(): Promise<void> {
    await withAdminClient((db) => db.query(`DROP DATABASE IF EXISTS ${this.databaseName} WITH (FORCE)`));
    const redis = this.redis();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    rmSync(this.storageDir, { recursive: true, force: true });
  }
}

async function withAdminClient<T>(fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: ADMIN_DATABASE_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}
