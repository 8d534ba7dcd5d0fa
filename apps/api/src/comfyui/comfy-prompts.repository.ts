import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { JobError, JobOutput, JobStatus } from '@atelier/jobs';

/** What the ComfyUI protocol keeps of a prompt beside its job. */
export interface ComfyPromptMeta {
  ownerId: string;
  promptId: string;
  jobId: string;
  clientId: string | null;
  number: number;
  extraData: Record<string, unknown>;
  outputsToExecute: string[];
}

/** A prompt with the state of its job: the queue entry or the history entry. */
export interface ComfyPrompt extends ComfyPromptMeta {
  status: JobStatus;
  graph: Record<string, unknown>;
  outputs: JobOutput[];
  error: JobError | null;
  priority: number;
  progress: { step: number; totalSteps: number };
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export type NewComfyPrompt = ComfyPromptMeta;

type Row = Record<string, unknown>;

const META = `p.owner_id, p.prompt_id, p.job_id, p.client_id, p.number, p.extra_data, p.outputs_to_execute`;
const WITH_JOB = `SELECT ${META}, j.status, j.input, j.outputs, j.error, j.priority, j.progress, j.created_at, j.started_at, j.finished_at
  FROM comfy_prompts p JOIN jobs j ON j.id = p.job_id`;
const FINISHED = `j.status IN ('succeeded', 'failed', 'canceled')`;
const ACTIVE = `j.status IN ('queued', 'running')`;

/** All SQL on comfy_prompts; reads join the job row, which is the queue entry and the history. */
@Injectable()
export class ComfyPromptsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when the owner already has a prompt with this id (a resubmission). */
  async insert(prompt: NewComfyPrompt): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO comfy_prompts (owner_id, prompt_id, job_id, client_id, number, extra_data, outputs_to_execute)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING prompt_id`,
      [prompt.ownerId, prompt.promptId, prompt.jobId, prompt.clientId, prompt.number, JSON.stringify(prompt.extraData), JSON.stringify(prompt.outputsToExecute)],
    )) as Row[];
    return rows.length === 1;
  }

  /** The owner's next prompt number (ComfyUI's server counter, per user here). */
  async nextNumber(ownerId: string): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT coalesce(max(number), 0) + 1 AS next FROM comfy_prompts WHERE owner_id = $1 AND number >= 0`, [ownerId])) as Row[];
    return Math.floor(Number(row?.next ?? 1));
  }

  async metaOfJob(jobId: string): Promise<ComfyPromptMeta | null> {
    const [row] = (await this.dataSource.query(`SELECT ${META} FROM comfy_prompts p WHERE p.job_id = $1`, [jobId])) as Row[];
    return row ? toMeta(row) : null;
  }

  async find(ownerId: string, promptId: string): Promise<ComfyPrompt | null> {
    const [row] = (await this.dataSource.query(`${WITH_JOB} WHERE p.owner_id = $1 AND p.prompt_id = $2`, [ownerId, promptId])) as Row[];
    return row ? toPrompt(row) : null;
  }

  /** Running first (oldest start first), then waiting in the order they will start: plan priority, then age. */
  async active(ownerId: string, clientId?: string): Promise<ComfyPrompt[]> {
    const params: unknown[] = [ownerId];
    const byClient = clientId === undefined ? '' : `AND p.client_id = $${params.push(clientId)}`;
    const rows = (await this.dataSource.query(
      `${WITH_JOB} WHERE p.owner_id = $1 AND ${ACTIVE} ${byClient}
       ORDER BY (j.status = 'running') DESC, j.started_at ASC NULLS LAST, j.priority DESC, j.created_at ASC`,
      params,
    )) as Row[];
    return rows.map(toPrompt);
  }

  async countActive(ownerId: string): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM comfy_prompts p JOIN jobs j ON j.id = p.job_id WHERE p.owner_id = $1 AND ${ACTIVE}`, [ownerId])) as Row[];
    return Number(row?.n ?? 0);
  }

  /**
   * Finished prompts in the order they finished, as ComfyUI's history: `maxItems` from `offset`, or
   * without an offset the last `maxItems`.
   */
  async history(ownerId: string, maxItems: number, offset: number | undefined): Promise<ComfyPrompt[]> {
    if (offset === undefined) {
      const rows = (await this.dataSource.query(
        `${WITH_JOB} WHERE p.owner_id = $1 AND ${FINISHED} ORDER BY j.finished_at DESC, p.prompt_id DESC LIMIT $2`,
        [ownerId, maxItems],
      )) as Row[];
      return rows.map(toPrompt).reverse();
    }
    const rows = (await this.dataSource.query(
      `${WITH_JOB} WHERE p.owner_id = $1 AND ${FINISHED} ORDER BY j.finished_at ASC, p.prompt_id ASC LIMIT $2 OFFSET $3`,
      [ownerId, maxItems, offset],
    )) as Row[];
    return rows.map(toPrompt);
  }

  /** Newest first, for /api/jobs. */
  async page(ownerId: string, statuses: JobStatus[], limit: number, offset: number): Promise<{ items: ComfyPrompt[]; total: number }> {
    const rows = (await this.dataSource.query(
      `${WITH_JOB} WHERE p.owner_id = $1 AND j.status = ANY($2) ORDER BY j.created_at DESC, p.prompt_id DESC LIMIT $3 OFFSET $4`,
      [ownerId, statuses, limit, offset],
    )) as Row[];
    const [count] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM comfy_prompts p JOIN jobs j ON j.id = p.job_id WHERE p.owner_id = $1 AND j.status = ANY($2)`,
      [ownerId, statuses],
    )) as Row[];
    return { items: rows.map(toPrompt), total: Number(count?.n ?? 0) };
  }

  /** Forgets finished prompts (all, or the ones named); the jobs stay in GET /v1/jobs. */
  async forgetFinished(ownerId: string, promptIds?: string[]): Promise<void> {
    const params: unknown[] = [ownerId];
    const named = promptIds ? `AND p.prompt_id = ANY($${params.push(promptIds)}::uuid[])` : '';
    await this.dataSource.query(`DELETE FROM comfy_prompts p USING jobs j WHERE j.id = p.job_id AND p.owner_id = $1 AND ${FINISHED} ${named}`, params);
  }
}

function toMeta(row: Row): ComfyPromptMeta {
  return {
    ownerId: row.owner_id as string,
    promptId: row.prompt_id as string,
    jobId: row.job_id as string,
    clientId: (row.client_id as string | null) ?? null,
    number: Number(row.number),
    extraData: (row.extra_data as Record<string, unknown>) ?? {},
    outputsToExecute: (row.outputs_to_execute as string[]) ?? [],
  };
}

function toPrompt(row: Row): ComfyPrompt {
  const input = (row.input as { graph?: Record<string, unknown> }) ?? {};
  const progress = (row.progress as { step?: number; totalSteps?: number }) ?? {};
  return {
    ...toMeta(row),
    status: row.status as JobStatus,
    graph: input.graph ?? {},
    outputs: (row.outputs as JobOutput[]) ?? [],
    error: (row.error as JobError | null) ?? null,
    priority: Number(row.priority),
    progress: { step: progress.step ?? 0, totalSteps: progress.totalSteps ?? 1 },
    createdAt: new Date(row.created_at as string),
    startedAt: row.started_at ? new Date(row.started_at as string) : null,
    finishedAt: row.finished_at ? new Date(row.finished_at as string) : null,
  };
}
