import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * comfy_prompts (apps/api ComfyUI surface): what the ComfyUI protocol knows of a prompt beyond its
 * job: the prompt id the client sees, the socket (client_id) that gets its events, its number and
 * extra_data. The job row is the queue entry and the history; this row goes with it.
 */
export class ComfyUiPrompts1763800008000 implements MigrationInterface {
  name = 'ComfyUiPrompts1763800008000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE comfy_prompts (
        owner_id uuid NOT NULL,
        prompt_id uuid NOT NULL,
        job_id uuid NOT NULL UNIQUE REFERENCES jobs(id) ON DELETE CASCADE,
        client_id text,
        number double precision NOT NULL,
        extra_data jsonb NOT NULL DEFAULT '{}'::jsonb,
        outputs_to_execute jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner_id, prompt_id)
      )`);
    await db.query(`CREATE INDEX comfy_prompts_client_idx ON comfy_prompts (owner_id, client_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE comfy_prompts`);
  }
}
