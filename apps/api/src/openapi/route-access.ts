import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { type RouteAccess, routeAccessOf } from '@atelier/auth';
import { isThrottled } from '../http/throttling/unthrottled.decorator';

export type { RouteAccess };

/** Every controller handler, keyed `Controller_method`, with what AuthGuard asks of it and whether the request limit applies. */
export function routeAccess(app: INestApplication): Map<string, RouteAccess & { throttled: boolean }> {
  const access = new Map<string, RouteAccess & { throttled: boolean }>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        access.set(`${metatype.name}_${name}`, { ...routeAccessOf(handler, metatype), throttled: isThrottled(handler, metatype) });
      }
    }
  }
  return access;
}
