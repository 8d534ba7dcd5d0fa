import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * templates and ratings: a template's traffic split over its versions (`{"2": 50, "3": 50}`,
 * NULL: the latest version), and the template version a rating's image came from, recorded when
 * the rating is given so the feedback per version outlives the job retention.
 */
export class TemplatesSplitRatingVersions1764000402000 implements MigrationInterface {
  name = 'TemplatesSplitRatingVersions1764000402000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE templates ADD COLUMN split jsonb`);
    await db.query(`ALTER TABLE ratings ADD COLUMN template_id uuid, ADD COLUMN template_version integer`);
    await db.query(`CREATE INDEX ratings_template_idx ON ratings (template_id, template_version, created_at DESC) WHERE template_id IS NOT NULL`);
    await db.query(`CREATE INDEX ratings_user_idx ON ratings (user_id, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE ratings DROP COLUMN template_id, DROP COLUMN template_version`);
    await db.query(`ALTER TABLE templates DROP COLUMN split`);
  }
}
