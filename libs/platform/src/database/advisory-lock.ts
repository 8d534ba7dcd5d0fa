import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `fn` in a transaction holding a transaction-scoped advisory lock, or returns
 * `skipped` at once if another process holds it: for housekeeping that several instances
 * run on a timer but only one should do at a time.
 */
export async function withTryAdvisoryLock<T>(dataSource: DataSource, key: bigint, skipped: T, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (em) => {
    const [{ locked }] = (await em.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [key.toString()])) as [{ locked: boolean }];
    return locked ? fn(em) : skipped;
  });
}
