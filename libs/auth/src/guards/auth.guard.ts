import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { Principal } from '../tokens/principal';
import { type RouteRequirements, routeAccessOf } from './authenticated.decorator';
import { CredentialVerifier } from './credential-verifier';
import { authErrors } from '../auth-errors';

/**
 * Global guard: every route needs a valid credential unless marked @Public(). Access JWTs
 * go through passport-jwt; `atl_` API keys through the key store. Then the route's
 * requirements (admin, scope, session only) are checked.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(private readonly credentials: CredentialVerifier) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets are authenticated once, in the /events handshake.
    if (context.getType() !== 'http') return true;
    const { isPublic, needs } = routeAccessOf(context.getHandler(), context.getClass());
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, '') ?? '';
    if (bearer.startsWith('atl_')) request.user = await this.credentials.verify(bearer);
    else await super.canActivate(context);
    this.checkRequirements(request.user!, needs);
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser): TUser {
    if (error || !user) {
      throw authErrors('UNAUTHENTICATED', 'A valid access token or API key is required');
    }
    return user;
  }

  private checkRequirements(principal: Principal, needs: RouteRequirements): void {
    if (needs.admin && principal.role !== 'admin') {
      throw authErrors('ADMIN_ONLY', 'This route is for administrators');
    }
    if (needs.session && principal.scopes) {
      throw authErrors('SESSION_REQUIRED', 'This route needs a signed-in session, not an API key');
    }
    if (needs.scope && principal.scopes && !principal.scopes.includes(needs.scope)) {
      throw authErrors('MISSING_SCOPE', `This API key lacks the scope ${needs.scope}`, { scope: needs.scope });
    }
  }
}
