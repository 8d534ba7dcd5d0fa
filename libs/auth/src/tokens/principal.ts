import type { UserRole } from '../users/user.entity';

/** Who is calling: set on `request.user` by the guard and on `socket.data.principal`. */
export interface Principal {
  userId: string;
  role: UserRole;
  /** undefined for a JWT (all scopes); the key's scopes for an API key. */
  scopes?: string[];
}

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  typ: 'access';
}
