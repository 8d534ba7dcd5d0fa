import type { SessionStore } from '../../../client/src';
import type { Session, User } from './types';

const KEY = 'atelier.session';

/**
 * The client's session store for the page: kept in localStorage so a reload stays signed in.
 * The page's CSP allows only its own scripts, which is what keeps the tokens from other code.
 */
export class LocalSessionStore implements SessionStore {
  private session: Session | null = read();
  private readonly listeners = new Set<(user: User | null) => void>();

  get current(): Session | null {
    return this.session;
  }

  set(session: Session | null): void {
    const userChanged = session?.user.id !== this.session?.user.id;
    this.session = session;
    if (session) localStorage.setItem(KEY, JSON.stringify(session));
    else localStorage.removeItem(KEY);
    if (userChanged) for (const listener of this.listeners) listener(session?.user ?? null);
  }

  /** Called with the user on sign-in and with null on sign-out (not on token refresh). */
  onChange(listener: (user: User | null) => void): void {
    this.listeners.add(listener);
  }
}

function read(): Session | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return value?.accessToken && value.refreshToken && value.user ? value : null;
  } catch {
    return null;
  }
}
