import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ModelStatusReporter } from '@atelier/inference';
import { AppConfig, HEARTBEAT_INTERVAL_MS, HEARTBEAT_TTL_SECONDS, heartbeatKey, redisOptionsFromUrl, type WorkerHeartbeat } from '@atelier/platform';

/** Tells the API this worker is alive and what its models are doing (read by /health/ready and /v1/models). */
@Injectable()
export class WorkerHeartbeatPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeatPublisher.name);
  private readonly workerId = randomUUID();
  private readonly startedAt = new Date().toISOString();
  private readonly redis: Redis;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly models: ModelStatusReporter,
  ) {
    this.redis = new Redis({ ...redisOptionsFromUrl(config.redisUrl), maxRetriesPerRequest: 1 });
    this.redis.on('error', (error) => this.logger.warn(`heartbeat redis: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.del(heartbeatKey(this.config.redisPrefix, this.workerId)).catch(() => undefined);
    this.redis.disconnect();
  }

  private async beat(): Promise<void> {
    const heartbeat: WorkerHeartbeat = {
      workerId: this.workerId,
      pid: process.pid,
      startedAt: this.startedAt,
      at: new Date().toISOString(),
      models: this.models.statuses(),
    };
    await this.redis
      .set(heartbeatKey(this.config.redisPrefix, this.workerId), JSON.stringify(heartbeat), 'EX', HEARTBEAT_TTL_SECONDS)
      .catch((error: Error) => this.logger.warn(`heartbeat not sent: ${error.message}`));
  }
}
