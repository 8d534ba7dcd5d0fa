import { io, type Socket } from 'socket.io-client';

export interface RecordedEvent {
  event: string;
  payload: { jobId?: string } & Record<string, unknown>;
}

/** A real Socket.IO client on `/events` that records every event it receives. */
export class SocketRecorder {
  readonly events: RecordedEvent[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: RecordedEvent['payload']) => {
      this.events.push({ event, payload });
      for (const wake of this.waiters) wake();
    });
  }

  static connect(baseUrl: string, token: string): Promise<SocketRecorder> {
    const socket = io(`${baseUrl}/events`, { auth: { token }, transports: ['websocket'], reconnection: false });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new SocketRecorder(socket)));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  eventsOf(jobId: string): RecordedEvent[] {
    return this.events.filter((e) => e.payload?.jobId === jobId);
  }

  /** Resolves the moment the event arrives (no polling, so latency measurements stay honest). */
  waitFor(jobId: string, event: string, timeoutMs = 60_000): Promise<RecordedEvent> {
    const find = () => this.eventsOf(jobId).find((e) => e.event === event);
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no ${event} for job ${jobId}; got ${JSON.stringify(this.eventsOf(jobId).map((e) => e.event))}`));
      }, timeoutMs);
      const check = () => {
        const hit = find();
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      this.waiters.add(check);
    });
  }

  emitWithAck<T>(event: string, payload: unknown): Promise<T> {
    return this.socket.timeout(5000).emitWithAck(event, payload) as Promise<T>;
  }

  close(): void {
    this.socket.close();
  }
}
