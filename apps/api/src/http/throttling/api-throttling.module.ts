import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Request } from 'express';
import { RedisConnections } from '@atelier/platform';
import { ApiThrottlerGuard } from './api-throttler.guard';
import { PlanRequestBudgets, PlanRequestBudgetsModule } from './plan-request-budgets';

type TrackedRequest = Request & { user?: { userId?: string } };

const MINUTE_MS = 60_000;

/**
 * The contract's "generous per-user limit" on every route: one budget per caller shared by all
 * routes (not one per route), counted in Redis so it holds across API instances. The caller is the
 * authenticated user, whose budget is their plan's (PlanRequestBudgets), else the client address. Job submissions (per plan) and failed sign-ins have
 * limits of their own besides this one.
 *
 * Import it after AuthModule: global guards run in module order, and the key needs the user
 * AuthGuard found.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [PlanRequestBudgetsModule],
      inject: [RedisConnections, PlanRequestBudgets],
      useFactory: (redis: RedisConnections, budgets: PlanRequestBudgets) => ({
        throttlers: [{ ttl: MINUTE_MS, limit: (context) => budgets.limitFor(context.switchToHttp().getRequest<TrackedRequest>().user?.userId) }],
        // Its own connection for the key prefix (the store's keys start with a hash tag); it fails fast like the shared one.
        storage: new ThrottlerStorageRedisService(redis.dedicated('throttler', { keyPrefix: redis.prefix, enableOfflineQueue: false, maxRetriesPerRequest: 1 })),
        getTracker: (request: Record<string, unknown>) => {
          const { user, ip } = request as unknown as TrackedRequest;
          return user?.userId ? `user:${user.userId}` : `ip:${ip ?? 'unknown'}`;
        },
        generateKey: (_context, tracker) => `throttle:${tracker}`,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ApiThrottlerGuard }],
})
export class ApiThrottlingModule {}
