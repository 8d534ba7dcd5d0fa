import { Injectable, Logger } from '@nestjs/common';
import { JobQueueConsumer } from '@atelier/jobs';
import { AppConfig, DomainError } from '@atelier/platform';
import { WorkflowNodeError } from '@atelier/workflows';

/** What a finished attempt says about the worker that ran it. */
export type AttemptVerdict = 'fault' | 'neutral';

/**
 * Whether a failure is this worker's own: an error with no code (an engine crash, out of memory),
 * a model that will not load here, an attempt past its time limit. Bad input is the client's, and
 * a dependency that is down (storage, the queue) fails every worker alike: neither counts.
 */
export function verdictOf(error: unknown): AttemptVerdict {
  const cause = error instanceof WorkflowNodeError ? error.cause : error;
  if (!(cause instanceof DomainError)) return 'fault';
  return cause.code === 'MODEL_UNAVAILABLE' || cause.code === 'JOB_TIMEOUT' ? 'fault' : 'neutral';
}

/**
 * Bad workers leave rotation: after WORKER_UNHEALTHY_AFTER_FAILURES attempts in a row failed by
 * the worker's own fault (no success between), it stops taking jobs (the consumer's pause, as a
 * drain), says so in its heartbeat and fails its liveness probe, so Kubernetes restarts it.
 * Unhealthy is final for the process: a restart is the cure.
 */
@Injectable()
export class WorkerHealth {
  private readonly logger = new Logger(WorkerHealth.name);
  private faultsInARow = 0;
  private why: string | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly consumer: JobQueueConsumer,
  ) {}

  get healthy(): boolean {
    return this.why === null;
  }

  /** Why it left rotation; null while healthy. */
  get reason(): string | null {
    return this.why;
  }

  succeeded(): void {
    this.faultsInARow = 0;
  }

  failed(jobId: string, error: unknown): void {
    if (verdictOf(error) !== 'fault' || !this.healthy) return;
    const limit = this.config.workerUnhealthyAfterFailures;
    if (limit === 0 || ++this.faultsInARow < limit) return;
    const code = error instanceof DomainError ? error.code : error instanceof WorkflowNodeError && error.cause instanceof DomainError ? error.cause.code : 'JOB_FAILED';
    this.why = `${this.faultsInARow} jobs in a row failed on this worker (last: ${code}, job ${jobId})`;
    this.logger.error({ jobId, faults: this.faultsInARow }, `unhealthy, leaving rotation: ${this.why}`);
    void this.consumer.pause().catch(() => undefined);
  }
}
