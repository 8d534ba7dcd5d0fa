import { Client } from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** Any fixed 64-bit number shared by every Atelier process; it names the migration lock. */
const MIGRATION_LOCK_KEY = 0x61_74_65_6c_69_65_72n; // "atelier"

export interface MigrationLog {
  log(message: string): void;
}

/**
 * Runs pending migrations while holding a Postgres advisory lock, so an API and a worker
 * that start together never race: the second waits, then finds nothing left to do.
 */
export async function runMigrations(
  databaseUrl: string,
  migrations: MigrationClass[],
  logger: MigrationLog = { log: () => undefined },
): Promise<string[]> {
  const lockClient = new Client({ connectionString: databaseUrl });
  await lockClient.connect();
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, migrations, migrationsTableName: 'migrations' });
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) logger.log(`migration applied: ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
    await lockClient.end();
  }
}
