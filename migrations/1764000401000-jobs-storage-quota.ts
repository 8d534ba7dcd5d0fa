import type { MigrationInterface, QueryRunner } from 'typeorm';

/** jobs: the owner's storage quota when the job was accepted, which the worker holds its outputs to (NULL: none). */
export class JobsStorageQuota1764000401000 implements MigrationInterface {
  name = 'JobsStorageQuota1764000401000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs ADD COLUMN storage_quota_bytes bigint`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs DROP COLUMN storage_quota_bytes`);
  }
}
