import type { Session } from './types';

/**
 * Where the client keeps the signed-in session (tokens and user). A browser page keeps it in
 * localStorage so a reload stays signed in; a script keeps it in memory.
 */
export interface SessionStore {
  readonly current: Session | null;
  set(session: Session | null): void;
}

export class MemorySessionStore implements SessionStore {
  current: Session | null = null;

  set(session: Session | null): void {
    this.current = session;
  }
}
