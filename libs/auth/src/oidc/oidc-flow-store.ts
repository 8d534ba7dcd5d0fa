import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RedisConnections } from '@atelier/platform';
import { authErrors } from '../auth-errors';

/** What a started sign-in must find again at its callback. */
export interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  /** A path on this site to send the browser back to with a ticket; absent: the callback answers the session as JSON. */
  returnTo?: string;
}

/** How long a ticket of a finished sign-in may wait for the page to exchange it. */
const TICKET_TTL_SECONDS = 60;

const unavailable = () => authErrors('LOGIN_UNAVAILABLE', 'Sign-in is unavailable; try again shortly');

/**
 * The server side of an OpenID Connect sign-in, in Redis (`<prefix>oidc:state:*`,
 * `<prefix>oidc:ticket:*`), so any API instance can answer the callback. Each entry is read
 * once (GETDEL): a callback replayed with the same state, or a ticket used twice, finds nothing.
 */
@Injectable()
export class OidcFlowStore {
  constructor(private readonly redis: RedisConnections) {}

  async begin(state: string, pending: PendingSignIn, ttlSeconds: number): Promise<void> {
    await this.redis.shared.set(this.key('state', state), JSON.stringify(pending), 'EX', ttlSeconds).catch(() => {
      throw unavailable();
    });
  }

  /** The pending sign-in of `state`, removed so that it cannot be used again. */
  async take(state: string): Promise<PendingSignIn> {
    const stored = await this.redis.shared.getdel(this.key('state', state)).catch(() => {
      throw unavailable();
    });
    if (!stored) {
      throw authErrors('OIDC_STATE_INVALID', 'This sign-in is unknown, expired or already finished; start it again');
    }
    return JSON.parse(stored) as PendingSignIn;
  }

  /** A short-lived, single-use ticket for the user just signed in, for the browser to exchange for its tokens. */
  async issueTicket(userId: string): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    await this.redis.shared.set(this.key('ticket', ticket), userId, 'EX', TICKET_TTL_SECONDS).catch(() => {
      throw unavailable();
    });
    return ticket;
  }

  async redeemTicket(ticket: string): Promise<string> {
    const userId = await this.redis.shared.getdel(this.key('ticket', ticket)).catch(() => {
      throw unavailable();
    });
    if (!userId) throw authErrors('OIDC_TICKET_INVALID', 'The sign-in ticket is unknown, expired or already used; sign in again');
    return userId;
  }

  private key(kind: 'state' | 'ticket', value: string): string {
    return `${this.redis.prefix}oidc:${kind}:${value}`;
  }
}
