import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Authenticated, Public, type RouteRequirements } from '@atelier/auth';

export interface RouteAccess {
  isPublic: boolean;
  needs: RouteRequirements;
}

/** The metadata key a decorator writes; libs/auth does not export its keys, so ask the decorators. */
const keyOf = (decorator: ClassDecorator): string => {
  class Probe {}
  decorator(Probe);
  return Reflect.getOwnMetadataKeys(Probe)[0] as string;
};
const PUBLIC_KEY = keyOf(Public());
const REQUIREMENTS_KEY = keyOf(Authenticated());

/** Every controller handler, keyed `Controller_method`, with what AuthGuard asks of it (handler over class, as the guard reads it). */
export function routeAccess(app: INestApplication): Map<string, RouteAccess> {
  const access = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const read = <T>(key: string): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, metatype);
        access.set(`${metatype.name}_${name}`, { isPublic: read<boolean>(PUBLIC_KEY) === true, needs: read<RouteRequirements>(REQUIREMENTS_KEY) ?? {} });
      }
    }
  }
  return access;
}
