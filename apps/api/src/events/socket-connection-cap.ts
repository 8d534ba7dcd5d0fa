import type { Socket } from 'socket.io';

/**
 * Counts each user's open `/events` sockets on this instance, so one user cannot exhaust the
 * server with connections. A socket is counted from its accepted handshake until it or its
 * transport closes, whichever comes first (once), so a client that vanished mid-handshake is
 * not counted forever.
 */
export class SocketConnectionCap {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerUser: number) {}

  /** Counts the socket in and returns true, or returns false when the user is at the cap. */
  admit(userId: string, socket: Socket): boolean {
    const count = this.open.get(userId) ?? 0;
    if (count >= this.maxPerUser) return false;
    this.open.set(userId, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    return true;
  }

  countOf(userId: string): number {
    return this.open.get(userId) ?? 0;
  }
}
