import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * The headers helmet would set, without the dependency: no sniffing, no framing, no
 * referrer leaks, HSTS, and a deny-all CSP on the JSON API (the docs, dashboard and page
 * need their own scripts, so they keep the browser defaults). CORS only for configured origins.
 */
export function applySecurityHeaders(app: NestExpressApplication, corsOrigins: string[]): void {
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (req.path.startsWith('/v1/') || req.path.startsWith('/openai/')) res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    next();
  });
  app.enableCors({
    origin: corsOrigins.length ? corsOrigins : false,
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Retry-After', 'ETag', 'Deprecation', 'Sunset', 'Link'],
    maxAge: 600,
  });
}
