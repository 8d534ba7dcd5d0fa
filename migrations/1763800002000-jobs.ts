import type { MigrationInterface, QueryRunner } from 'typeorm';

/** jobs: the job rows; the state machine is enforced by a CHECK and conditional updates. */
export class Jobs1763800002000 implements MigrationInterface {
  name = 'Jobs1763800002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL,
        type text NOT NULL,
        model text,
        lane text NOT NULL CHECK (lane IN ('gpu', 'cpu')),
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
        input jsonb NOT NULL,
        outputs jsonb NOT NULL DEFAULT '[]'::jsonb,
        progress jsonb NOT NULL DEFAULT '{"step":0,"totalSteps":1,"percent":0}'::jsonb,
        webhook_url text,
        error jsonb,
        cost integer NOT NULL DEFAULT 0 CHECK (cost >= 0),
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX jobs_owner_idx ON jobs (owner_id, created_at DESC)`);
    await db.query(`CREATE INDEX jobs_waiting_idx ON jobs (lane, created_at) WHERE status = 'queued'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE jobs`);
  }
}
