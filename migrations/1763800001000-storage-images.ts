import type { MigrationInterface, QueryRunner } from 'typeorm';

/** storage: image metadata; the bytes live in the blob store, addressed by sha256. */
export class StorageImages1763800001000 implements MigrationInterface {
  name = 'StorageImages1763800001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE images (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL,
        sha256 char(64) NOT NULL,
        format text NOT NULL CHECK (format IN ('png', 'jpeg', 'webp')),
        width integer NOT NULL CHECK (width > 0),
        height integer NOT NULL CHECK (height > 0),
        bytes integer NOT NULL CHECK (bytes > 0),
        source text NOT NULL CHECK (source IN ('upload', 'job')),
        job_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await db.query(`CREATE INDEX images_owner_idx ON images (owner_id, created_at DESC) WHERE deleted_at IS NULL`);
    await db.query(`CREATE INDEX images_sha_idx ON images (sha256)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE images`);
  }
}
