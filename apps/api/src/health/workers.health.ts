import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { WorkerHeartbeats } from '../workers/worker-heartbeats';
import { toWorkersView } from '../workers/worker.views';

/**
 * Workers are reported, never a readiness condition: an API without workers still signs people
 * in and queues jobs, so it must stay in service. No worker taking jobs is `degraded` (still 200).
 */
@Injectable()
export class WorkersHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly heartbeats: WorkerHeartbeats,
  ) {}

  async check(key: string) {
    const session = this.indicator.check(key);
    try {
      const { workers, available } = toWorkersView(await this.heartbeats.live());
      const taking = workers.filter((w) => !w.draining && w.healthy).length;
      const data = { live: workers.length, available, takingJobs: taking };
      return available ? session.up(data) : session.degraded({ ...data, message: 'no worker takes jobs: they wait in the queue' });
    } catch (error) {
      return session.degraded({ message: `worker heartbeats unreadable: ${(error as Error).message}` });
    }
  }
}
