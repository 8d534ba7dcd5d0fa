import { SetMetadata } from '@nestjs/common';

const PUBLIC_ROUTE = 'atelier:public';
const ROUTE_REQUIREMENTS = 'atelier:requirements';

export interface RouteRequirements {
  /** An API key must carry this scope (sessions have every scope). */
  scope?: string;
  admin?: boolean;
  /** A signed-in session only: API keys are refused (e.g. managing API keys). */
  session?: boolean;
}

/** Routes are closed by default; this marks one open to anonymous callers. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** What an authenticated route needs beyond a valid credential. */
export const Authenticated = (requirements: RouteRequirements = {}) => SetMetadata(ROUTE_REQUIREMENTS, requirements);

export interface RouteAccess {
  isPublic: boolean;
  needs: RouteRequirements;
}

/**
 * What a route declares, the handler's decorators over its controller's. AuthGuard enforces this
 * and the OpenAPI document describes it, so both read it here.
 */
export function routeAccessOf(handler: Function, controller: Function): RouteAccess {
  const read = <T>(key: string): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
  return { isPublic: read<boolean>(PUBLIC_ROUTE) === true, needs: read<RouteRequirements>(ROUTE_REQUIREMENTS) ?? {} };
}
