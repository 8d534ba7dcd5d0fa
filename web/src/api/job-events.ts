import { io, type Socket } from 'socket.io-client';
import type { AtelierClient } from '../../../client/src';
import type { Job } from './types';

export type JobEventName = 'job.queued' | 'job.started' | 'job.progress' | 'job.succeeded' | 'job.failed' | 'job.canceled';
export type JobEvent = { jobId: string } & Record<string, unknown>;
export const JOB_EVENTS: JobEventName[] = ['job.queued', 'job.started', 'job.progress', 'job.succeeded', 'job.failed', 'job.canceled'];

/**
 * The `/events` Socket.IO connection. The server puts the socket in its user's room, so
 * every event of the user's jobs arrives here; on each (re)connect the page re-subscribes
 * to its unfinished jobs and applies the snapshots, so nothing missed while away is lost.
 */
export class JobEvents {
  private socket: Socket | null = null;

  constructor(
    private readonly api: AtelierClient,
    private readonly onEvent: (name: JobEventName, event: JobEvent) => void,
    private readonly onConnect: () => void,
  ) {}

  connect(): void {
    this.close();
    const socket = io('/events', {
      // A function, so a reconnect after a token refresh sends the new token.
      auth: (send) => send({ token: this.api.accessToken }),
      transports: ['websocket'],
    });
    socket.on('connect', this.onConnect);
    socket.on('connect_error', (error) => {
      // A refused handshake is not retried by socket.io: refresh the token, then reconnect.
      if (!socket.active && /UNAUTHENTICATED/.test(error.message)) {
        void this.api.refreshSession().then((ok) => ok && socket.connect());
      }
    });
    for (const name of JOB_EVENTS) socket.on(name, (event: JobEvent) => this.onEvent(name, event));
    this.socket = socket;
  }

  /** The job's current snapshot, or null when it is not the user's (or the socket is down). */
  async subscribe(jobId: string): Promise<Job | null> {
    if (!this.socket?.connected) return null;
    try {
      const ack = (await this.socket.timeout(10_000).emitWithAck('subscribe', { jobId })) as { ok: boolean; job?: Job };
      return ack.ok && ack.job ? ack.job : null;
    } catch {
      return null;
    }
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }
}
