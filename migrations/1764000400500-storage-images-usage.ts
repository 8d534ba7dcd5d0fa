import type { MigrationInterface, QueryRunner } from 'typeorm';

/** storage: a user's storage usage sums the bytes of all their image rows (deleted ones count until purged). */
export class StorageImagesUsage1764000400500 implements MigrationInterface {
  name = 'StorageImagesUsage1764000400500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX images_owner_usage_idx ON images (owner_id) INCLUDE (bytes)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX images_owner_usage_idx`);
  }
}
