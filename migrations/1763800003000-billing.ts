import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * billing: plans (data, seeded here), the append-only credit ledger and a balance row per
 * user kept in step with it in the same transaction. Constraints make double charges and
 * negative balances impossible, whatever the application does.
 */
export class Billing1763800003000 implements MigrationInterface {
  name = 'Billing1763800003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE plans (
        id text PRIMARY KEY,
        rate_per_minute integer NOT NULL CHECK (rate_per_minute > 0),
        max_concurrent_jobs integer NOT NULL CHECK (max_concurrent_jobs > 0),
        max_pixels integer NOT NULL CHECK (max_pixels > 0),
        max_batch integer NOT NULL CHECK (max_batch > 0),
        priority integer NOT NULL CHECK (priority > 0),
        monthly_credits integer NOT NULL CHECK (monthly_credits >= 0)
      )`);
    await db.query(`
      INSERT INTO plans VALUES
        ('free',     10, 2,  1048576, 2, 1,  200),
        ('standard', 40, 4,  2359296, 4, 2, 2000),
        ('premium', 100, 8,  4194304, 8, 3, 10000)`);
    await db.query(`
      CREATE TABLE balances (
        user_id uuid PRIMARY KEY,
        balance integer NOT NULL DEFAULT 0,
        reserved integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT balances_never_negative CHECK (reserved >= 0 AND reserved <= balance)
      )`);
    await db.query(`
      CREATE TABLE ledger_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('grant', 'reserve', 'capture', 'release', 'refund')),
        amount integer NOT NULL CHECK (amount > 0),
        job_id uuid,
        reason text,
        period text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Each job is reserved, captured, released and refunded at most once.
    await db.query(`CREATE UNIQUE INDEX ledger_once_per_job ON ledger_entries (job_id, kind) WHERE job_id IS NOT NULL`);
    // A reservation is settled once: captured or released, never both.
    await db.query(`CREATE UNIQUE INDEX ledger_settled_once ON ledger_entries (job_id) WHERE kind IN ('capture', 'release')`);
    // Each monthly grant is given at most once per user and period.
    await db.query(`CREATE UNIQUE INDEX ledger_grant_once_per_period ON ledger_entries (user_id, period) WHERE kind = 'grant' AND period IS NOT NULL`);
    await db.query(`CREATE INDEX ledger_user_idx ON ledger_entries (user_id, created_at DESC, id DESC)`);
    // Append-only: history cannot be rewritten.
    await db.query(`
      CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'ledger_entries is append-only'; END $$`);
    await db.query(`
      CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE OR DELETE ON ledger_entries
      FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ledger_entries`);
    await db.query(`DROP FUNCTION ledger_entries_append_only`);
    await db.query(`DROP TABLE balances`);
    await db.query(`DROP TABLE plans`);
  }
}
