import { Injectable, Module } from '@nestjs/common';
import { AuthModule, AuthService } from '@atelier/auth';
import { BillingModule, PlansService } from '@atelier/billing';
import { AppConfig } from '@atelier/platform';

/** A plan change reaches the limit within this long; meanwhile a request costs no database read. */
const CACHE_MS = 30_000;
const CACHE_MAX_USERS = 50_000;

/**
 * Each user's budget of requests a minute on all routes: their plan's requestsPerMinute, or
 * API_REQUESTS_PER_MINUTE for a plan without one and for anonymous callers.
 */
@Injectable()
export class PlanRequestBudgets {
  private readonly cache = new Map<string, { limit: number; until: number }>();

  constructor(
    private readonly auth: AuthService,
    private readonly plans: PlansService,
    private readonly config: AppConfig,
  ) {}

  async limitFor(userId: string | undefined, now = Date.now()): Promise<number> {
    const fallback = this.config.apiRequestsPerMinute;
    if (!userId) return fallback;
    const cached = this.cache.get(userId);
    if (cached && cached.until > now) return cached.limit;
    // A caller whose user or plan cannot be read right now gets the default, not an error: the route answers for itself.
    const limit = await this.auth
      .getUser(userId)
      .then(async ({ plan }) => (await this.plans.get(plan)).requestsPerMinute ?? fallback)
      .catch(() => fallback);
    if (this.cache.size >= CACHE_MAX_USERS) this.cache.clear();
    this.cache.set(userId, { limit, until: now + CACHE_MS });
    return limit;
  }
}

@Module({
  imports: [AuthModule, BillingModule],
  providers: [PlanRequestBudgets],
  exports: [PlanRequestBudgets],
})
export class PlanRequestBudgetsModule {}
