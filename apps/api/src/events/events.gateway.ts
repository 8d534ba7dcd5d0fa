import { ConnectedSocket, MessageBody, type OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { CredentialVerifier, type Principal } from '@atelier/auth';
import { EVENTS_NAMESPACE, JobsService, userRoom, type JobView } from '@atelier/jobs';

type Ack = { ok: true; job: JobView } | { ok: false; error: { code: string; message: string } };

/**
 * `/events`: the handshake is authenticated like REST; each socket joins only its own
 * user's room, so nobody receives another user's events. Events come from Redis.
 */
@WebSocketGateway({ namespace: EVENTS_NAMESPACE })
export class EventsGateway implements OnGatewayInit {
  constructor(
    private readonly credentials: CredentialVerifier,
    private readonly jobs: JobsService,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      this.authenticate(socket).then(
        (principal) => {
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
    try {
      if (typeof body?.jobId !== 'string') throw new Error('jobId is required');
      return { ok: true, job: await this.jobs.get(principal.userId, body.jobId) };
    } catch {
      return { ok: false, error: { code: 'JOB_NOT_FOUND', message: 'Job not found' } };
    }
  }

  private async authenticate(socket: Socket): Promise<Principal> {
    const auth = socket.handshake.auth as { token?: unknown };
    const header = socket.handshake.headers.authorization;
    const token = typeof auth?.token === 'string' ? auth.token : header?.replace(/^Bearer\s+/i, '');
    if (!token) throw new Error('no token');
    return this.credentials.verify(token);
  }
}
