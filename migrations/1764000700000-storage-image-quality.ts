import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * storage: the worker's no-reference quality estimate of a generated image ({score 0..100,
 * sharpness, exposure, noise, colorfulness}), so template versions can be compared by it.
 * Null for uploads and for images made before it was measured.
 */
export class StorageImageQuality1764000700000 implements MigrationInterface {
  name = 'StorageImageQuality1764000700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images ADD COLUMN quality jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images DROP COLUMN quality`);
  }
}
