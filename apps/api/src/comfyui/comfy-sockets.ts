import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import type { ComfyMessage } from './comfy-messages';

/** How long a client that dropped keeps the events it misses, and how many. */
const MISSED_TTL_MS = 5 * 60_000;
const MISSED_MAX = 200;
/** Progress is replaced by the current state on reconnect; only the other events are kept for a client that is away. */
const NOT_KEPT = new Set(['progress', 'status', 'progress_state']);

interface Away {
  messages: ComfyMessage[];
  until: number;
}

const keyOf = (ownerId: string, clientId: string) => `${ownerId}\u0000${clientId}`;

/**
 * The ComfyUI sockets of this API instance, per user and client id: two users may pick the same
 * client id without seeing each other's events. A client that reconnects with its id replaces
 * its old socket (the old one's close does not remove the new one, unlike ComfyUI#16010), and
 * the events it missed meanwhile wait for it a few minutes.
 */
@Injectable()
export class ComfySockets {
  private readonly sockets = new Map<string, Map<string, WebSocket>>();
  private readonly away = new Map<string, Away>();

  attach(ownerId: string, clientId: string, socket: WebSocket): ComfyMessage[] {
    const clients = this.sockets.get(ownerId) ?? new Map<string, WebSocket>();
    this.sockets.set(ownerId, clients);
    const previous = clients.get(clientId);
    clients.set(clientId, socket);
    if (previous && previous !== socket) previous.close(4000, 'replaced by a new connection with the same clientId');
    const key = keyOf(ownerId, clientId);
    const missed = this.away.get(key);
    this.away.delete(key);
    return missed && missed.until > Date.now() ? missed.messages : [];
  }

  detach(ownerId: string, clientId: string, socket: WebSocket): void {
    const clients = this.sockets.get(ownerId);
    if (clients?.get(clientId) !== socket) return;
    clients.delete(clientId);
    if (!clients.size) this.sockets.delete(ownerId);
    this.away.set(keyOf(ownerId, clientId), { messages: [], until: Date.now() + MISSED_TTL_MS });
  }

  /** True when this instance holds a socket of the user, or one that dropped lately: only then are their events translated. */
  watches(ownerId: string): boolean {
    if (this.sockets.has(ownerId)) return true;
    const prefix = `${ownerId}\u0000`;
    for (const [key, away] of this.away) {
      if (away.until <= Date.now()) this.away.delete(key);
      else if (key.startsWith(prefix)) return true;
    }
    return false;
  }

  /** To the prompt's client: sent if it is connected, kept for it if it dropped lately. */
  send(ownerId: string, clientId: string, message: ComfyMessage): void {
    const socket = this.sockets.get(ownerId)?.get(clientId);
    if (socket) {
      socket.send(JSON.stringify(message));
      return;
    }
    const away = this.away.get(keyOf(ownerId, clientId));
    if (!away || NOT_KEPT.has(message.type)) return;
    away.messages.push(message);
    if (away.messages.length > MISSED_MAX) away.messages.shift();
  }

  sendBinary(ownerId: string, clientId: string, frame: Buffer): void {
    this.sockets.get(ownerId)?.get(clientId)?.send(frame);
  }

  /** To every socket of the user (`status`). */
  sendToOwner(ownerId: string, message: ComfyMessage): void {
    const text = JSON.stringify(message);
    for (const socket of this.sockets.get(ownerId)?.values() ?? []) socket.send(text);
  }

  owners(): string[] {
    return [...this.sockets.keys()];
  }

  closeAll(): void {
    for (const clients of this.sockets.values()) for (const socket of clients.values()) socket.close(1001, 'server shutting down');
    this.sockets.clear();
    this.away.clear();
  }
}
