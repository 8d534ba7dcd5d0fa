import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'atelier:public';
export const ROUTE_REQUIREMENTS = 'atelier:requirements';

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
