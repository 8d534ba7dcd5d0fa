import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** bigint columns come back from pg as strings; quotas stay well within Number.MAX_SAFE_INTEGER. */
const bigintNumber: ValueTransformer = { from: (value: string | null) => (value === null ? null : Number(value)), to: (value: number | null) => value };

/** A plan's limits: data seeded by migration and changed by admins, not constants in code. */
@Entity({ name: 'plans' })
export class PlanEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'rate_per_minute', type: 'integer' })
  ratePerMinute!: number;

  @Column({ name: 'max_concurrent_jobs', type: 'integer' })
  maxConcurrentJobs!: number;

  @Column({ name: 'max_pixels', type: 'integer' })
  maxPixels!: number;

  @Column({ name: 'max_batch', type: 'integer' })
  maxBatch!: number;

  /** Higher runs first: premium 3, standard 2, free 1. */
  @Column({ type: 'integer' })
  priority!: number;

  @Column({ name: 'monthly_credits', type: 'integer' })
  monthlyCredits!: number;

  /** The plan's per-user budget of requests a minute on all routes; null: API_REQUESTS_PER_MINUTE. */
  @Column({ name: 'requests_per_minute', type: 'integer', nullable: true })
  requestsPerMinute!: number | null;

  /** Bytes of images (uploads and outputs) a user may keep. */
  @Column({ name: 'storage_quota_bytes', type: 'bigint', transformer: bigintNumber })
  storageQuotaBytes!: number;
}

export type PlanView = Pick<
  PlanEntity,
  'id' | 'ratePerMinute' | 'maxConcurrentJobs' | 'maxPixels' | 'maxBatch' | 'priority' | 'monthlyCredits' | 'requestsPerMinute' | 'storageQuotaBytes'
>;

export const toPlanView = (p: PlanEntity): PlanView => ({
  id: p.id,
  ratePerMinute: p.ratePerMinute,
  maxConcurrentJobs: p.maxConcurrentJobs,
  maxPixels: p.maxPixels,
  maxBatch: p.maxBatch,
  priority: p.priority,
  monthlyCredits: p.monthlyCredits,
  requestsPerMinute: p.requestsPerMinute,
  storageQuotaBytes: p.storageQuotaBytes,
});
