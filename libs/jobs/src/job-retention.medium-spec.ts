import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/test-database';
import { IdempotencyKeys } from './idempotency/idempotency-keys';
import { JobEntity } from './job.entity';
import { JobRetention } from './job-retention';
import { JobsRepository } from './jobs.repository';

describe('JobRetention (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase([JobEntity]);
  });
  afterAll(() => db.destroy());

  it('purges finished jobs past retention and keeps recent or unfinished ones', async () => {
    const insert = (status: string, finishedDaysAgo: number | null) =>
      db.environment.query<{ id: string }>(
        `INSERT INTO jobs (owner_id, type, lane, status, input, finished_at)
         VALUES (gen_random_uuid(), 'resize', 'cpu', $1, '{}', CASE WHEN $2::int IS NULL THEN NULL ELSE now() - make_interval(days => $2::int) END)
         RETURNING id`,
        [status, finishedDaysAgo],
      );
    const [old] = await insert('succeeded', 40);
    const [recent] = await insert('failed', 2);
    const [running] = await insert('running', null);
    await db.environment.query(`INSERT INTO idempotency_keys (owner_id, key, request_hash, job_id, created_at) VALUES (gen_random_uuid(), 'k', repeat('a', 64), $1, now() - interval '2 days')`, [recent.id]);

    expect(await new JobRetention(new JobsRepository(db.dataSource.getRepository(JobEntity)), new IdempotencyKeys(db.dataSource), db.dataSource).purge(30)).toEqual({ jobs: 1, keys: 1 });
    const left = (await db.environment.query<{ id: string }>('SELECT id FROM jobs')).map((r) => r.id).sort();
    expect(left).toEqual([recent.id, running.id].sort());
    expect(left).not.toContain(old.id);
  });
});
