import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TestEnvironment } from '../../../../test/support/test-environment';
import { runMigrations } from './run-migrations';

/** Slow on purpose: without the lock, two runners would both see it pending and both apply it. */
class SlowCounter1700000000000 implements MigrationInterface {
  name = 'SlowCounter1700000000000';
  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE TABLE IF NOT EXISTS applied (n integer)');
    await db.query('SELECT pg_sleep(0.3)');
    await db.query('INSERT INTO applied VALUES (1)');
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE applied');
  }
}

describe('runMigrations (real Postgres)', () => {
  const environment = new TestEnvironment();
  beforeAll(() => environment.create());
  afterAll(() => environment.destroy());

  it('applies each migration once when several processes start together', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runMigrations(environment.databaseUrl, [SlowCounter1700000000000])));
    expect(results.flat()).toEqual(['SlowCounter1700000000000']);
    const rows = await environment.query<{ n: number }>('SELECT n FROM applied');
    expect(rows).toHaveLength(1);
    expect(await runMigrations(environment.databaseUrl, [SlowCounter1700000000000])).toEqual([]);
  });
});
