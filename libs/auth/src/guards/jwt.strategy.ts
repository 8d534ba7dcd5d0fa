import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '@atelier/platform';
import { AccessTokens } from '../tokens/access-tokens';
import type { AccessTokenClaims, Principal } from '../tokens/principal';

/** passport-jwt: `Authorization: Bearer <access token>`, HS256 only (no `alg: none`). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Principal {
    return AccessTokens.toPrincipal(claims);
  }
}
