import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * images.moderation (libs/storage): the content classifier's result for an image, when it was
 * checked (a `moderate` job, or an output under MODERATION=flag|block): the five scores, whether
 * the policy flagged it, and the model.
 */
export class StorageImageModeration1764000600000 implements MigrationInterface {
  name = 'StorageImageModeration1764000600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images ADD COLUMN moderation jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images DROP COLUMN moderation`);
  }
}
