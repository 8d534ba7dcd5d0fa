import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnections } from '@atelier/platform';
import { jobEventsChannel, type OwnedJobEvent } from './job-events';

export type JobEventListener = (event: OwnedJobEvent) => void;

/**
 * Every job event of the deployment, in this process, for server-side protocol adapters (the
 * ComfyUI WebSocket, the OpenAI surface's wait). One subscriber connection, opened on first use;
 * listeners filter by owner and job. Events are best effort, as on Socket.IO: a listener that
 * must not miss the end of a job also reads the job row (see JobCompletion).
 */
@Injectable()
export class JobEventStream implements OnApplicationShutdown {
  private readonly logger = new Logger(JobEventStream.name);
  private readonly listeners = new Set<JobEventListener>();
  private subscriber?: Redis;
  private subscribed?: Promise<void>;

  constructor(private readonly redis: RedisConnections) {}

  /** Adds a listener; resolves once the subscription is live, so nothing published after it is missed. Returns the unsubscribe. */
  async listen(listener: JobEventListener): Promise<() => void> {
    this.listeners.add(listener);
    await this.subscribe();
    return () => this.listeners.delete(listener);
  }

  private subscribe(): Promise<void> {
    this.subscribed ??= (async () => {
      const subscriber = this.redis.dedicated('job-event-stream');
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
      await subscriber.subscribe(jobEventsChannel(this.redis.prefix));
    })().catch((error: unknown) => {
      this.subscribed = undefined;
      throw error;
    });
    return this.subscribed;
  }

  private dispatch(message: string): void {
    let event: OwnedJobEvent;
    try {
      event = JSON.parse(message) as OwnedJobEvent;
    } catch {
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn(`job event listener failed: ${(error as Error).message}`);
      }
    }
  }

  onApplicationShutdown(): void {
    this.listeners.clear();
    this.subscriber?.disconnect();
  }
}
