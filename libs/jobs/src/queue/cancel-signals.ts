import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig, redisOptionsFromUrl } from '@atelier/platform';

/**
 * API → worker "stop this job" command over Redis pub/sub, so a running job stops at its
 * next step without waiting for the worker to poll. The database row stays the truth:
 * a worker that missed the message still sees `canceled` when it checks.
 */
@Injectable()
export class CancelSignals implements OnModuleDestroy {
  private readonly logger = new Logger(CancelSignals.name);
  private readonly channel: string;
  private publisher?: Redis;
  private subscriber?: Redis;

  constructor(private readonly config: AppConfig) {
    this.channel = `${config.redisPrefix}jobs:cancel`;
  }

  async send(jobId: string): Promise<void> {
    this.publisher ??= this.connect();
    await this.publisher.publish(this.channel, jobId);
  }

  async listen(onCancel: (jobId: string) => void): Promise<void> {
    this.subscriber ??= this.connect();
    await this.subscriber.subscribe(this.channel);
    this.subscriber.on('message', (_channel: string, jobId: string) => onCancel(jobId));
  }

  onModuleDestroy(): void {
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
  }

  private connect(): Redis {
    const redis = new Redis({ ...redisOptionsFromUrl(this.config.redisUrl), maxRetriesPerRequest: 1 });
    redis.on('error', (error) => this.logger.warn(`cancel signals redis: ${error.message}`));
    return redis;
  }
}
