import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * billing: two more plan limits. `requests_per_minute` is the plan's share of the per-user
 * request limit on every route (NULL: API_REQUESTS_PER_MINUTE); `storage_quota_bytes` caps the
 * bytes of a user's images (uploads and outputs).
 */
export class BillingPlanBudgetsQuotas1764000400000 implements MigrationInterface {
  name = 'BillingPlanBudgetsQuotas1764000400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE plans
        ADD COLUMN requests_per_minute integer CHECK (requests_per_minute > 0),
        ADD COLUMN storage_quota_bytes bigint NOT NULL DEFAULT 1073741824 CHECK (storage_quota_bytes > 0)`);
    await db.query(`UPDATE plans SET storage_quota_bytes = 10737418240 WHERE id = 'standard'`);
    await db.query(`UPDATE plans SET storage_quota_bytes = 107374182400 WHERE id = 'premium'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE plans DROP COLUMN requests_per_minute, DROP COLUMN storage_quota_bytes`);
  }
}
