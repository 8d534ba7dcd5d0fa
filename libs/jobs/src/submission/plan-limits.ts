import type { PlanView } from '@atelier/billing';
import { jobErrors } from '../job-errors';
import type { Workload } from '../types/job-type-definition';

/** The plan's per-job limits on a job's workload: pixels per image and batch size. */
export function checkPlanLimits(workload: Workload | undefined, plan: PlanView): void {
  if (!workload) return;
  const { pixels, batch } = workload;
  if (pixels > plan.maxPixels) {
    throw jobErrors('PIXELS_OVER_PLAN', `${pixels} pixels per image is over the ${plan.id} plan's ${plan.maxPixels}`, { maxPixels: plan.maxPixels });
  }
  if (batch > plan.maxBatch) {
    throw jobErrors('BATCH_OVER_PLAN', `A batch of ${batch} is over the ${plan.id} plan's ${plan.maxBatch}`, { maxBatch: plan.maxBatch });
  }
}

/** The highest plan priority (premium); aged jobs are promoted to it. */
export const MAX_PLAN_PRIORITY = 3;

/** Bull runs lower numbers first; plans rank higher numbers first (premium 3 → Bull 1). */
export const bullPriority = (planPriority: number) => Math.max(1, MAX_PLAN_PRIORITY + 1 - planPriority);

/** Room within one plan's Bull priority band for the owner's own queue depth. */
const FAIR_SPREAD = 1000;

/**
 * Plan priority first, then fairness: within a band a job goes behind the jobs its owner
 * already has waiting in the queue, so a burst of one user's jobs interleaves with the first
 * jobs of the others instead of taking the whole class (Bull is FIFO at equal priority).
 */
export const fairBullPriority = (planPriority: number, ownWaiting: number) =>
  (bullPriority(planPriority) - 1) * FAIR_SPREAD + 1 + Math.min(Math.max(0, ownWaiting), FAIR_SPREAD - 1);
