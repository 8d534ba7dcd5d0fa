import { applyDecorators, type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';

const DEPRECATION = 'atelier:deprecation';

/** A route being retired: since when, until when it is served, and the route that replaces it. */
export interface RouteDeprecation {
  /** ISO date the route was deprecated. */
  since: string;
  /** ISO date after which the route may be removed. */
  sunset: string;
  /** The replacement's path, e.g. `/v1/me`. */
  successor: string;
}

/** The three headers of a deprecated route: RFC 9745 `Deprecation`, RFC 8594 `Sunset`, and a `Link` to the successor and the docs. */
export function deprecationHeaders(deprecation: RouteDeprecation): Record<'Deprecation' | 'Sunset' | 'Link', string> {
  return {
    // A structured-field Date: "@" and the unix seconds.
    Deprecation: `@${Math.floor(Date.parse(deprecation.since) / 1000)}`,
    Sunset: new Date(deprecation.sunset).toUTCString(),
    Link: `<${deprecation.successor}>; rel="successor-version", </docs>; rel="deprecation"; type="text/html"`,
  };
}

/** Marks a route deprecated: its answers carry the deprecation headers and the OpenAPI document says `deprecated: true`. */
export const DeprecatedRoute = (deprecation: RouteDeprecation) =>
  applyDecorators(
    SetMetadata(DEPRECATION, deprecation),
    ApiOperation({
      deprecated: true,
      description: `Deprecated since ${deprecation.since}, served until ${deprecation.sunset}: use \`${deprecation.successor}\`. Answers carry Deprecation, Sunset and Link headers.`,
    }),
  );

/**
 * Sets the headers before the handler runs, so its errors carry them too (a refusal by the auth
 * guard, which runs earlier, does not).
 */
@Injectable()
export class DeprecationHeadersInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const deprecation = context.getType() === 'http' ? this.reflector.get<RouteDeprecation | undefined>(DEPRECATION, context.getHandler()) : undefined;
    if (deprecation) {
      const response = context.switchToHttp().getResponse<Response>();
      for (const [name, value] of Object.entries(deprecationHeaders(deprecation))) response.setHeader(name, value);
    }
    return next.handle();
  }
}
