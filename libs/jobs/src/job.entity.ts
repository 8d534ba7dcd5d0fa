import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { JobLane, JobType } from './types/job-types';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
export const FINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'canceled'];

export interface JobProgress {
  step: number;
  totalSteps: number;
  percent: number;
}

export type JobOutput =
  /** `seed`: generated images say which seed made them; `node`: the workflow node that made them. */
  | { imageId: string; url: string; width: number; height: number; seed?: number; node?: string }
  | { kind: 'json'; data: unknown };

export interface JobError {
  code: string;
  message: string;
  /** A workflow job: the node that failed. */
  node?: string;
  nodeType?: string;
}

@Entity({ name: 'jobs' })
export class JobEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'text' })
  type!: JobType;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ type: 'text' })
  lane!: JobLane;

  @Column({ type: 'text', default: 'queued' })
  status!: JobStatus;

  @Column({ type: 'jsonb' })
  input!: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  outputs!: JobOutput[];

  @Column({ type: 'jsonb', default: () => `'{"step":0,"totalSteps":1,"percent":0}'::jsonb` })
  progress!: JobProgress;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  error!: JobError | null;

  @Column({ type: 'integer', default: 0 })
  cost!: number;

  /** The owner's plan priority when submitted: higher runs first. */
  @Column({ type: 'integer', default: 1 })
  priority!: number;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** The template version the prompt was rendered from, if any. */
  @Column({ name: 'template_id', type: 'uuid', nullable: true })
  templateId!: string | null;

  @Column({ name: 'template_version', type: 'integer', nullable: true })
  templateVersion!: number | null;

  /** What makes two deterministic jobs the same work (see result-cache-key.ts); null when not cacheable. */
  @Column({ name: 'cache_key', type: 'text', nullable: true })
  cacheKey!: string | null;

  /** Answered from an earlier job's outputs by the result cache, not computed. */
  @Column({ type: 'boolean', default: false })
  cached!: boolean;

  /** The model that made the outputs when it was not `model` (its fallback); null otherwise. */
  @Column({ name: 'model_used', type: 'text', nullable: true })
  modelUsed!: string | null;

  /** Ran on a fallback model instead of failing. */
  @Column({ type: 'boolean', default: false })
  degraded!: boolean;

  /** Set at the first start: no attempt runs past it (the type's overall deadline). */
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true })
  deadlineAt!: Date | null;
  /** The owner's plan's storage quota when accepted (bytes), which the outputs are held to; null: none. */
  @Column({ name: 'storage_quota_bytes', type: 'bigint', nullable: true, transformer: { from: (v: string | null) => (v === null ? null : Number(v)), to: (v: number | null) => v } })
  storageQuotaBytes!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
