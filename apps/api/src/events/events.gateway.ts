import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { CredentialVerifier, type Principal } from '@atelier/auth';
import { EVENTS_NAMESPACE, JobsService, userRoom, type JobView } from '@atelier/jobs';
import { AppConfig, DomainError, isDependencyDown, isInvalidInputForDatabase } from '@atelier/platform';
import { SocketConnectionCap } from './socket-connection-cap';

type AckError = { code: string; message: string };
type Ack = { ok: true; job: JobView } | { ok: false; error: AckError };

const JOB_NOT_FOUND: AckError = { code: 'JOB_NOT_FOUND', message: 'Job not found' };

/**
 * `/events`: the handshake is authenticated like REST; each socket joins only its own
 * user's room, so nobody receives another user's events. Events come from Redis. A user holds
 * at most SOCKET_MAX_CONNECTIONS_PER_USER sockets per instance (more are refused at the
 * handshake); messages over SOCKET_MAX_MESSAGE_BYTES close the sender's connection (the adapter).
 */
@WebSocketGateway({ namespace: EVENTS_NAMESPACE })
export class EventsGateway implements OnGatewayInit {
  private readonly logger = new Logger(EventsGateway.name);
  private readonly cap: SocketConnectionCap;

  constructor(
    private readonly credentials: CredentialVerifier,
    private readonly jobs: JobsService,
    config: AppConfig,
  ) {
    this.cap = new SocketConnectionCap(config.socketMaxConnectionsPerUser);
  }

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      this.authenticate(socket).then(
        (principal) => {
          if (!this.cap.admit(principal.userId, socket)) {
            this.logger.warn({ userId: principal.userId }, 'socket refused: too many connections for this user');
            next(new Error('TOO_MANY_CONNECTIONS: close some of your other connections first'));
            return;
          }
          socket.data.principal = principal;
          void socket.join(userRoom(principal.userId));
          next();
        },
        () => next(new Error('UNAUTHENTICATED: a valid access token or API key is required')),
      );
    });
  }

  /** Returns the current snapshot so a client that reconnects can catch up. */
  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: { jobId?: unknown }): Promise<Ack> {
    const principal = socket.data.principal as Principal;
    const jobId = body?.jobId;
    if (typeof jobId !== 'string' || jobId.length === 0) {
      return { ok: false, error: { code: 'BAD_REQUEST', message: 'subscribe needs {jobId}: the id of one of your jobs' } };
    }
    try {
      return { ok: true, job: await this.jobs.get(principal.userId, jobId) };
    } catch (error) {
      return { ok: false, error: this.ackError(error) };
    }
  }

  /** Only a job that does not exist (or is not the caller's) is JOB_NOT_FOUND; a dependency down says so. */
  private ackError(error: unknown): AckError {
    if (error instanceof DomainError) return error.kind === 'not_found' ? JOB_NOT_FOUND : { code: error.code, message: error.message };
    // Not a job id at all (Postgres refuses it as a uuid): no such job.
    if (isInvalidInputForDatabase(error)) return JOB_NOT_FOUND;
    if (isDependencyDown(error)) {
      this.logger.warn({ err: (error as Error).message }, 'subscribe: dependency unavailable');
      return { code: 'SERVICE_UNAVAILABLE', message: 'A backing service is unavailable; try again shortly' };
    }
    this.logger.error({ err: error }, 'subscribe failed');
    return { code: 'INTERNAL', message: 'An unexpected error occurred' };
  }

  private async authenticate(socket: Socket): Promise<Principal> {
    const auth = socket.handshake.auth as { token?: unknown };
    const header = socket.handshake.headers.authorization;
    const token = typeof auth?.token === 'string' ? auth.token : header?.replace(/^Bearer\s+/i, '');
    if (!token) throw new Error('no token');
    return this.credentials.verify(token);
  }
}
