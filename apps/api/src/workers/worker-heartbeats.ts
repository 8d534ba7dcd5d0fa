import { Injectable } from '@nestjs/common';
import { heartbeatKey, heartbeatPattern, RedisConnections, type WorkerHeartbeat } from '@atelier/platform';

/** Reads the live workers' heartbeats from Redis (expired keys are dead workers). */
@Injectable()
export class WorkerHeartbeats {
  constructor(private readonly redis: RedisConnections) {}

  async live(): Promise<WorkerHeartbeat[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.shared.scan(cursor, 'MATCH', heartbeatPattern(this.redis.prefix), 'COUNT', 200);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    if (!keys.length) return [];
    const values = await this.redis.shared.mget(keys);
    return values.filter((v): v is string => Boolean(v)).map((v) => JSON.parse(v) as WorkerHeartbeat);
  }

  /** One live worker's heartbeat, or undefined. */
  async find(workerId: string): Promise<WorkerHeartbeat | undefined> {
    const value = await this.redis.shared.get(heartbeatKey(this.redis.prefix, workerId));
    return value ? (JSON.parse(value) as WorkerHeartbeat) : undefined;
  }
}
