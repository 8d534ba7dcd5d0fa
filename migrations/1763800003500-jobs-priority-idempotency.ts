import type { MigrationInterface, QueryRunner } from 'typeorm';

/** jobs: plan priority on each job (queue position) and Idempotency-Key records. */
export class JobsPriorityIdempotency1763800003500 implements MigrationInterface {
  name = 'JobsPriorityIdempotency1763800003500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs ADD COLUMN priority integer NOT NULL DEFAULT 1`);
    await db.query(`DROP INDEX jobs_waiting_idx`);
    await db.query(`CREATE INDEX jobs_waiting_idx ON jobs (lane, priority DESC, created_at) WHERE status = 'queued'`);
    await db.query(`CREATE INDEX jobs_active_owner_idx ON jobs (owner_id) WHERE status IN ('queued', 'running')`);
    await db.query(`
      CREATE TABLE idempotency_keys (
        owner_id uuid NOT NULL,
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        job_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner_id, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
    await db.query(`DROP INDEX jobs_active_owner_idx`);
    await db.query(`ALTER TABLE jobs DROP COLUMN priority`);
  }
}
