import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/openapi';
import type { SessionStore } from './session-store';
import { AtelierError, type Session } from './types';

type Fetch = (request: Request) => Promise<Response>;

/**
 * The bearer token of every request, and the session behind it: sign in and out, and on a 401
 * one refresh and one retry. Refreshes are shared by all requests that need one at the same
 * time, because refresh tokens rotate: a spent one used twice revokes the whole session.
 */
export class Authenticator {
  private refreshing: Promise<boolean> | null = null;
  // The auth endpoints go out without the token and are never retried (a failed refresh must not refresh).
  private readonly auth: Client<paths>;

  constructor(
    baseUrl: string,
    readonly sessions: SessionStore,
    /** An API key or access token sent as is (no session, so nothing to refresh). */
    private readonly fixedToken?: string,
  ) {
    this.auth = createClient<paths>({ baseUrl, fetch: (request) => fetch(request) });
  }

  get accessToken(): string | undefined {
    return this.fixedToken ?? this.sessions.current?.accessToken;
  }

  /** fetch with the bearer token; a 401 refreshes the session once and retries with the new token. */
  readonly fetch: Fetch = async (request) => {
    const token = this.accessToken;
    const spare = token && !this.fixedToken ? request.clone() : null;
    const response = await fetch(withBearer(request, token));
    if (response.status !== 401 || !spare) return response;
    // Another request may have refreshed while this one was under way: then its token is the fresh one.
    const fresh = this.accessToken !== token || (await this.refreshSession());
    return fresh && this.accessToken ? fetch(withBearer(spare, this.accessToken)) : response;
  };

  async signIn(mode: 'login' | 'register', email: string, password: string): Promise<Session> {
    const pending = mode === 'login' ? this.auth.POST('/v1/auth/login', { body: { email, password } }) : this.auth.POST('/v1/auth/register', { body: { email, password } });
    const { data, error, response } = await pending;
    if (!data) throw AtelierError.fromResponse(response, error);
    this.sessions.set(data);
    return data;
  }

  /** Finishes a sign-in with the identity provider: the callback's single-use ticket for the session. */
  async signInWithTicket(ticket: string): Promise<Session> {
    const { data, error, response } = await this.auth.POST('/v1/auth/oidc/ticket', { body: { ticket } });
    if (!data) throw AtelierError.fromResponse(response, error);
    this.sessions.set(data);
    return data;
  }

  /** Forgets the session here at once, then revokes its refresh token on the server (best effort). */
  async signOut(): Promise<void> {
    const refreshToken = this.sessions.current?.refreshToken;
    this.sessions.set(null);
    if (refreshToken) await this.auth.POST('/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
  }

  /** A fresh token pair (e.g. for a socket handshake refused with an expired token); false when signed out. */
  refreshSession(): Promise<boolean> {
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refresh(): Promise<boolean> {
    const refreshToken = this.sessions.current?.refreshToken;
    if (!refreshToken) return false;
    const { data, response } = await this.auth.POST('/v1/auth/refresh', { body: { refreshToken } }).catch(() => ({ data: undefined, response: undefined }));
    if (this.sessions.current?.refreshToken !== refreshToken) return !!this.sessions.current; // signed out or in anew meanwhile
    if (data) {
      this.sessions.set(data);
      return true;
    }
    // Expired or revoked: the session is over. A server that could not answer leaves it for a later try.
    if (response && response.status < 500) this.sessions.set(null);
    return false;
  }
}

function withBearer(request: Request, token: string | undefined): Request {
  if (token) request.headers.set('authorization', `Bearer ${token}`);
  return request;
}
