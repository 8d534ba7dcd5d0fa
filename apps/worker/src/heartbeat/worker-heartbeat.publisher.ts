import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ModelStatusReporter } from '@atelier/inference';
import { JobQueueConsumer } from '@atelier/jobs';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TTL_SECONDS, heartbeatKey, RedisConnections, type WorkerHeartbeat } from '@atelier/platform';
import { WorkerHealth } from '../health/worker-health';
import { WorkerIdentity } from './worker-identity';

/** Tells the API this worker is alive, which lanes it serves, whether it is drained and what its models are doing. */
@Injectable()
export class WorkerHeartbeatPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly identity: WorkerIdentity,
    private readonly redis: RedisConnections,
    private readonly models: ModelStatusReporter,
    private readonly consumer: JobQueueConsumer,
    private readonly health: WorkerHealth,
  ) {}

  onApplicationBootstrap(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before the Redis connections close (they close last): the key goes at once, not after its TTL. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.shared.del(this.key()).catch(() => undefined);
  }

  /** Publishes now; also called after a control message so the API sees its effect without waiting. */
  async beat(): Promise<void> {
    const heartbeat: WorkerHeartbeat = {
      workerId: this.identity.id,
      pid: process.pid,
      startedAt: this.identity.startedAt,
      at: new Date().toISOString(),
      lanes: this.consumer.lanes(),
      draining: this.consumer.isPaused(),
      healthy: this.health.healthy,
      ...(this.health.reason ? { unhealthyReason: this.health.reason } : {}),
      models: this.models.statuses(),
    };
    // A failure is logged by RedisConnections; the next beat tries again.
    await this.redis.shared.set(this.key(), JSON.stringify(heartbeat), 'EX', HEARTBEAT_TTL_SECONDS).catch(() => undefined);
  }

  private key(): string {
    return heartbeatKey(this.redis.prefix, this.identity.id);
  }
}
