import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig, heartbeatPattern, redisOptionsFromUrl, type WorkerHeartbeat } from '@atelier/platform';

/** Reads the live workers' heartbeats from Redis (expired keys are dead workers). */
@Injectable()
export class WorkerHeartbeats implements OnModuleDestroy {
  private readonly logger = new Logger(WorkerHeartbeats.name);
  readonly redis: Redis;

  constructor(private readonly config: AppConfig) {
    this.redis = new Redis({ ...redisOptionsFromUrl(config.redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', (error) => this.logger.warn(`heartbeat reader redis: ${error.message}`));
  }

  async live(): Promise<WorkerHeartbeat[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', heartbeatPattern(this.config.redisPrefix), 'COUNT', 200);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    if (!keys.length) return [];
    const values = await this.redis.mget(keys);
    return values.filter((v): v is string => Boolean(v)).map((v) => JSON.parse(v) as WorkerHeartbeat);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
