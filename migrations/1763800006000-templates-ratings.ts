import type { MigrationInterface, QueryRunner } from 'typeorm';

/** templates and ratings (apps/api modules): immutable template versions with full-text search, one rating per user per image. */
export class TemplatesRatings1763800006000 implements MigrationInterface {
  name = 'TemplatesRatings1763800006000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL,
        visibility text NOT NULL CHECK (visibility IN ('private', 'public')),
        latest_version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE template_versions (
        template_id uuid NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
        version integer NOT NULL,
        name text NOT NULL,
        body text NOT NULL,
        negative_body text,
        defaults jsonb NOT NULL DEFAULT '{}'::jsonb,
        tags text[] NOT NULL DEFAULT '{}',
        search tsvector NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (template_id, version)
      )`);
    await db.query(`CREATE INDEX template_versions_search_idx ON template_versions USING GIN (search)`);
    await db.query(`CREATE INDEX template_versions_tags_idx ON template_versions USING GIN (tags)`);
    await db.query(`CREATE INDEX templates_visible_idx ON templates (owner_id, visibility) WHERE deleted_at IS NULL`);
    await db.query(`
      CREATE TABLE ratings (
        image_id uuid NOT NULL,
        user_id uuid NOT NULL,
        score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
        feedback text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (image_id, user_id)
      )`);
    // Jobs record the template version they rendered (for A/B statistics).
    await db.query(`ALTER TABLE jobs ADD COLUMN template_id uuid, ADD COLUMN template_version integer`);
    await db.query(`CREATE INDEX jobs_template_idx ON jobs (template_id, template_version) WHERE template_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs DROP COLUMN template_id, DROP COLUMN template_version`);
    await db.query(`DROP TABLE ratings`);
    await db.query(`DROP TABLE template_versions`);
    await db.query(`DROP TABLE templates`);
  }
}
