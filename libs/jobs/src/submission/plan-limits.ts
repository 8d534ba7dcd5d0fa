import type { PlanView } from '@atelier/billing';
import { DomainError } from '@atelier/platform';
import type { ValidJobRequest } from '../types/validate-job';

/** The plan's per-job limits: image size and batch for generation. */
export function checkPlanLimits(request: ValidJobRequest, plan: PlanView): void {
  const { width, height, batch } = request.input as { width?: number; height?: number; batch?: number };
  if (width && height && width * height > plan.maxPixels) {
    throw new DomainError('invalid', 'PIXELS_OVER_PLAN', `${width}x${height} is over the ${plan.id} plan's ${plan.maxPixels} pixels`, {
      maxPixels: plan.maxPixels,
    });
  }
  if (batch && batch > plan.maxBatch) {
    throw new DomainError('invalid', 'BATCH_OVER_PLAN', `A batch of ${batch} is over the ${plan.id} plan's ${plan.maxBatch}`, {
      maxBatch: plan.maxBatch,
    });
  }
}

/** The highest plan priority (premium); aged jobs are promoted to it. */
export const MAX_PLAN_PRIORITY = 3;

/** Bull runs lower numbers first; plans rank higher numbers first (premium 3 → Bull 1). */
export const bullPriority = (planPriority: number) => Math.max(1, MAX_PLAN_PRIORITY + 1 - planPriority);
