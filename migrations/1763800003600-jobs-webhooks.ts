import type { MigrationInterface, QueryRunner } from 'typeorm';

/** jobs: per-user webhook signing secrets and the delivery log of every webhook attempt. */
export class JobsWebhooks1763800003600 implements MigrationInterface {
  name = 'JobsWebhooks1763800003600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_secrets (
        user_id uuid PRIMARY KEY,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL,
        message_id text NOT NULL,
        event text NOT NULL,
        url text NOT NULL,
        attempt integer NOT NULL,
        status_code integer,
        error text,
        duration_ms integer,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX webhook_deliveries_job_idx ON webhook_deliveries (job_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhook_secrets`);
  }
}
