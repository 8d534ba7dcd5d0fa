import { Injectable, Logger } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { RedisConnections, socketIoRedisKey } from '@atelier/platform';
import { EVENTS_NAMESPACE, userRoom, type JobEventName, type JobEventPayloads } from './job-events';

/**
 * Publishes job events to the owner's room through Redis; every API instance's Socket.IO
 * adapter delivers them to the sockets it holds. Used by the worker and the API alike.
 */
@Injectable()
export class JobEventsPublisher {
  private readonly logger = new Logger(JobEventsPublisher.name);
  private readonly emitter: Emitter;

  constructor(redis: RedisConnections) {
    // The emitter does not handle the promise publish returns; catch it here so a Redis
    // outage is a logged warning, not an unhandled rejection that kills the process.
    const publisher = {
      publish: (channel: string, message: string | Buffer) =>
        redis.shared.publish(channel, message).catch((error: Error) => this.logger.warn(`event not published: ${error.message}`)),
    };
    this.emitter = new Emitter(publisher, { key: socketIoRedisKey(redis.prefix) }).of(EVENTS_NAMESPACE);
  }

  /** Best effort: a lost progress event is recoverable from the job snapshot, so never throw. */
  publish<E extends JobEventName>(ownerId: string, event: E, payload: JobEventPayloads[E]): void {
    try {
      this.emitter.to(userRoom(ownerId)).emit(event, payload);
    } catch (error) {
      this.logger.warn({ jobId: payload.jobId, event, err: (error as Error).message }, 'event not published');
    }
  }
}
