import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * jobs (libs/jobs): the result cache and the overall deadline. `cache_key` is what makes two
 * deterministic jobs the same work (model file hashes, accepted input, input image sha256);
 * `cached` marks a job answered from an earlier one; `deadline_at` is set at the first start and
 * bounds all attempts together.
 */
export class JobsResultCacheDeadline1764000300000 implements MigrationInterface {
  name = 'JobsResultCacheDeadline1764000300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs ADD COLUMN cache_key text, ADD COLUMN cached boolean NOT NULL DEFAULT false, ADD COLUMN deadline_at timestamptz`);
    await db.query(`CREATE INDEX jobs_result_cache_idx ON jobs (owner_id, cache_key, finished_at DESC) WHERE status = 'succeeded' AND cache_key IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX jobs_result_cache_idx`);
    await db.query(`ALTER TABLE jobs DROP COLUMN cache_key, DROP COLUMN cached, DROP COLUMN deadline_at`);
  }
}
