import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * jobs (libs/jobs): a job that ran on its model's fallback says so. `model_used` is the model
 * that made the outputs when it is not `model`; `degraded` marks such a job.
 */
export class JobsModelUsed1764000301000 implements MigrationInterface {
  name = 'JobsModelUsed1764000301000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs ADD COLUMN model_used text, ADD COLUMN degraded boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE jobs DROP COLUMN model_used, DROP COLUMN degraded`);
  }
}
