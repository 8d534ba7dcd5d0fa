import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { comfyBearer } from './comfy-credentials';

/**
 * On the ComfyUI routes, a Basic or `?token=` credential becomes the `Authorization: Bearer`
 * the global AuthGuard reads, so these routes are authenticated, scoped and rate limited per
 * user like every other route.
 */
@Injectable()
export class ComfyCredentialsMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const bearer = comfyBearer(request.headers, request.query?.token);
    if (bearer) request.headers.authorization = `Bearer ${bearer}`;
    next();
  }
}
