import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PlanEntity, toPlanView, type PlanView } from './plan.entity';
import { billingErrors } from '../billing-errors';

const LIMIT_FIELDS = ['ratePerMinute', 'maxConcurrentJobs', 'maxPixels', 'maxBatch', 'priority', 'monthlyCredits', 'requestsPerMinute', 'storageQuotaBytes'] as const;
type LimitField = (typeof LIMIT_FIELDS)[number];
/** requestsPerMinute may be null: the plan then follows API_REQUESTS_PER_MINUTE. */
export type PlanLimits = Partial<Record<Exclude<LimitField, 'requestsPerMinute'>, number>> & { requestsPerMinute?: number | null };

const MAX_LIMIT: Partial<Record<LimitField, number>> = { storageQuotaBytes: Number.MAX_SAFE_INTEGER };

@Injectable()
export class PlansService {
  constructor(@InjectRepository(PlanEntity) private readonly plans: Repository<PlanEntity>) {}

  async list(): Promise<PlanView[]> {
    return (await this.plans.find({ order: { priority: 'ASC' } })).map(toPlanView);
  }

  async get(id: string): Promise<PlanView> {
    const plan = await this.plans.findOneBy({ id });
    if (!plan) throw billingErrors('UNKNOWN_PLAN', `There is no plan "${id}"`);
    return toPlanView(plan);
  }

  /** Admin: change any of a plan's limits (e.g. raise ratePerMinute for a load test). */
  async update(id: string, limits: PlanLimits): Promise<PlanView> {
    await this.get(id);
    const changes: Record<string, number | null> = {};
    for (const field of LIMIT_FIELDS) {
      const value = limits[field];
      if (value === undefined) continue;
      if (value === null && field === 'requestsPerMinute') {
        changes[field] = null;
        continue;
      }
      const min = field === 'monthlyCredits' ? 0 : 1;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > (MAX_LIMIT[field] ?? 2_000_000_000)) {
        throw billingErrors('INVALID_PLAN_LIMIT', `${field} must be an integer ≥ ${min}`, { field });
      }
      changes[field] = value;
    }
    if (Object.keys(changes).length) await this.plans.update({ id }, changes);
    return this.get(id);
  }
}
