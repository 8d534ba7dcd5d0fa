import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { CredentialVerifier, type Principal } from '@atelier/auth';
import { AppConfig, DomainError, isDependencyDown } from '@atelier/platform';
import { errorResponse, STATUS_OF_KIND } from '../http/error-response';
import { comfyBearer } from './comfy-credentials';
import { ComfyEventRelay } from './comfy-event-relay';
import { comfyFeatures } from './comfy-features';
import { ComfySockets } from './comfy-sockets';

const WS_PATHS = new Set(['/ws', '/api/ws']);
/** Under saintno's 10 s idle reconnect, which it checks every 5 s. */
const HEARTBEAT_MS = 4000;
const MAX_CLIENT_ID_LENGTH = 200;

class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * ComfyUI's raw WebSocket at `/ws?clientId=` and `/api/ws`, on the API's HTTP server beside
 * Socket.IO (which keeps `/socket.io/`). The handshake is authenticated like the HTTP routes;
 * a refused one gets its status with a JSON body. Every socket hears a `status` at least every
 * HEARTBEAT_MS, so idle clients do not reconnect.
 */
@Injectable()
export class ComfyWebSocketServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ComfyWebSocketServer.name);
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private httpServer?: Server;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly credentials: CredentialVerifier,
    private readonly relay: ComfyEventRelay,
    private readonly sockets: ComfySockets,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.httpServer = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.httpServer.on('upgrade', this.onUpgrade);
    this.heartbeat = setInterval(() => this.relay.heartbeat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    this.httpServer?.off('upgrade', this.onUpgrade);
    this.sockets.closeAll();
    this.server.close();
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!WS_PATHS.has(url.pathname)) return; // Socket.IO's, or nobody's
    void this.accept(request, socket, head, url);
  };

  private async accept(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
    let principal: Principal;
    let clientId: string;
    try {
      clientId = url.searchParams.get('clientId') || randomUUID().replace(/-/g, '');
      if (clientId.length > MAX_CLIENT_ID_LENGTH) throw new HandshakeRefused(400, 'BAD_REQUEST', `clientId is longer than ${MAX_CLIENT_ID_LENGTH} characters`);
      principal = await this.authenticate(request, url);
      await this.relay.ensureListening();
    } catch (error) {
      this.refuse(socket, error);
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.connected(ws, principal, clientId));
  }

  private async authenticate(request: IncomingMessage, url: URL): Promise<Principal> {
    const bearer = comfyBearer(request.headers, url.searchParams.get('token'));
    if (!bearer) throw new HandshakeRefused(401, 'UNAUTHENTICATED', 'A valid access token or API key is required (Authorization: Bearer or Basic, or ?token=)');
    let principal: Principal;
    try {
      principal = await this.credentials.verify(bearer);
    } catch (error) {
      if (isDependencyDown(error)) throw new HandshakeRefused(503, 'DEPENDENCY_UNAVAILABLE', 'A backing service is unavailable; try again shortly');
      if (error instanceof DomainError) throw error;
      throw new HandshakeRefused(401, 'UNAUTHENTICATED', 'A valid access token or API key is required');
    }
    if (principal.scopes && !principal.scopes.includes('jobs:read')) {
      throw new HandshakeRefused(403, 'MISSING_SCOPE', 'This API key lacks the scope jobs:read');
    }
    return principal;
  }

  private refuse(socket: Duplex, error: unknown): void {
    const refused =
      error instanceof HandshakeRefused
        ? error
        : error instanceof DomainError
          ? new HandshakeRefused(STATUS_OF_KIND[error.kind], error.code, error.message)
          : new HandshakeRefused(503, 'DEPENDENCY_UNAVAILABLE', 'Job events cannot be followed right now; try again shortly');
    if (refused.status >= 500) this.logger.warn(`ComfyUI socket refused: ${(error as Error).message}`);
    const body = JSON.stringify(errorResponse(refused.status, refused.code, refused.message));
    const reason = errorResponse(refused.status, refused.code, '').error;
    socket.end(
      `HTTP/1.1 ${refused.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  private connected(socket: WebSocket, principal: Principal, clientId: string): void {
    const ownerId = principal.userId;
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.detach(ownerId, clientId, socket));
    socket.on('message', (data, isBinary) => this.onClientMessage(socket, data, isBinary));
    this.relay.connect(ownerId, clientId, socket);
  }

  /** A client's `feature_flags` gets the server's; ComfyUI ignores every other client message. */
  private onClientMessage(socket: WebSocket, data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    try {
      const message = JSON.parse(data.toString()) as { type?: unknown };
      if (message?.type === 'feature_flags' && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: 'feature_flags', data: comfyFeatures(this.config.uploadMaxBytes) }));
      }
    } catch {
      // not JSON: ignored, as ComfyUI does
    }
  }
}
