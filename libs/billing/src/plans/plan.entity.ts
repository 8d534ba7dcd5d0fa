import { Column, Entity, PrimaryColumn } from 'typeorm';

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
}

export type PlanView = Pick<PlanEntity, 'id' | 'ratePerMinute' | 'maxConcurrentJobs' | 'maxPixels' | 'maxBatch' | 'priority' | 'monthlyCredits'>;

export const toPlanView = (p: PlanEntity): PlanView => ({
  id: p.id,
  ratePerMinute: p.ratePerMinute,
  maxConcurrentJobs: p.maxConcurrentJobs,
  maxPixels: p.maxPixels,
  maxBatch: p.maxBatch,
  priority: p.priority,
  monthlyCredits: p.monthlyCredits,
});
