import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AccessTokens } from '@atelier/auth';
import { QueueStats } from '@atelier/jobs';

const BASE = '/admin/queues';
const COOKIE = 'atelier_admin';

/**
 * bull-board for admins at /admin/queues. A browser cannot send an Authorization header on
 * navigation, so an admin opens `/admin/queues?token=<access token>` once; the token is
 * then kept in an HttpOnly, SameSite=Strict cookie scoped to this path (it expires with it).
 */
export function mountQueueDashboard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter().setBasePath(BASE);
  createBullBoard({ queues: app.get(QueueStats).queues().map((queue) => new BullAdapter(queue)), serverAdapter });
  const tokens = app.get(AccessTokens);

  const adminOnly = (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
    const fromHeader = req.headers.authorization?.replace(/^Bearer\s+/i, '');
    const fromCookie = req.headers.cookie?.split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
    const token = fromQuery ?? fromHeader ?? fromCookie;
    try {
      if (!token || tokens.verify(token).role !== 'admin') throw new Error('not an admin');
    } catch {
      res.status(token ? 403 : 401).json({ statusCode: token ? 403 : 401, error: token ? 'Forbidden' : 'Unauthorized', code: 'ADMIN_ONLY', message: 'The queue dashboard is for administrators' });
      return;
    }
    if (fromQuery) res.cookie(COOKIE, fromQuery, { httpOnly: true, sameSite: 'strict', path: BASE, secure: req.secure });
    next();
  };
  app.use(BASE, adminOnly, serverAdapter.getRouter());
}
