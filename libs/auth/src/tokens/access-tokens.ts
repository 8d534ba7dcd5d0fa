import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@atelier/platform';
import type { AccessTokenClaims, Principal } from './principal';
import type { UserEntity } from '../users/user.entity';
import { authErrors } from '../auth-errors';

/** Short-lived HS256 access JWTs. Verification is shared by passport-jwt and the socket handshake. */
@Injectable()
export class AccessTokens {
  constructor(private readonly jwt: JwtService) {}

  issue(user: Pick<UserEntity, 'id' | 'role'>): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, typ: 'access' };
    return this.jwt.sign(claims);
  }

  /** Throws a 401 DomainError for anything but a valid, unexpired access token. */
  verify(token: string): Principal {
    try {
      const claims = this.jwt.verify<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      return AccessTokens.toPrincipal(claims);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw authErrors('INVALID_TOKEN', 'The access token is invalid or expired');
    }
  }

  static toPrincipal(claims: AccessTokenClaims): Principal {
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') {
      throw authErrors('INVALID_TOKEN', 'The access token is invalid or expired');
    }
    return { userId: claims.sub, role: claims.role };
  }
}
