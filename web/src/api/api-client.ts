import { ApiError } from './api-error';
import type { SessionStore } from './session-store';
import type { Session } from './types';

type Body = FormData | Record<string, unknown> | undefined;

/**
 * fetch against the same origin with the bearer token. On a 401 it refreshes the session
 * once and retries; refreshes are shared, because refresh tokens rotate and reusing one
 * revokes the whole family.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(readonly sessions: SessionStore) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: Body, headers: Record<string, string> = {}): Promise<T> {
    return this.request<T>('POST', path, body, headers);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  async signIn(mode: 'login' | 'register', email: string, password: string): Promise<Session> {
    const session = await this.request<Session>('POST', `/v1/auth/${mode}`, { email, password }, {}, false);
    this.sessions.set(session);
    return session;
  }

  async signOut(): Promise<void> {
    const refreshToken = this.sessions.current?.refreshToken;
    this.sessions.set(null);
    if (refreshToken) await this.request('POST', '/v1/auth/logout', { refreshToken }, {}, false).catch(() => undefined);
  }

  /** A fresh access token for the socket handshake after the old one expired. */
  refreshSession(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async request<T>(method: string, path: string, body?: Body, headers: Record<string, string> = {}, retry = true): Promise<T> {
    const token = this.sessions.current?.accessToken;
    const isForm = body instanceof FormData;
    const response = await fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined || isForm ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    if (response.status === 401 && retry && token && (await this.refreshSession())) {
      return this.request<T>(method, path, body, headers, false);
    }
    if (!response.ok) throw await ApiError.from(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.sessions.current?.refreshToken;
    if (!refreshToken) return false;
    try {
      const fresh = await this.request<Partial<Session>>('POST', '/v1/auth/refresh', { refreshToken }, {}, false);
      const current = this.sessions.current;
      if (!current) return false; // signed out meanwhile
      this.sessions.set({ ...current, ...fresh });
      return true;
    } catch {
      this.sessions.set(null); // expired or revoked: back to the sign-in form
      return false;
    }
  }
}
