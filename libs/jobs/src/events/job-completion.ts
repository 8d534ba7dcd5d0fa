import { Injectable } from '@nestjs/common';
import { FINAL_STATUSES, type JobEntity } from '../job.entity';
import { JobsRepository } from '../jobs.repository';
import { FINAL_EVENTS } from './job-events';
import { JobEventStream } from './job-event-stream';

/**
 * Waits for a job to finish: listens for its final event, and reads the row once the listener is
 * live (a job that finished before that is seen there), so no ending is missed. Resolves with the
 * row as it is then: finished, or still running when the time ran out.
 */
@Injectable()
export class JobCompletion {
  constructor(
    private readonly stream: JobEventStream,
    private readonly jobs: JobsRepository,
  ) {}

  async wait(ownerId: string, jobId: string, timeoutMs: number): Promise<JobEntity | null> {
    let finish: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (finish = resolve));
    const stop = await this.stream.listen((event) => {
      if (event.ownerId === ownerId && event.payload.jobId === jobId && FINAL_EVENTS.includes(event.event)) finish();
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const now = await this.jobs.findOwned(ownerId, jobId);
      if (!now || FINAL_STATUSES.includes(now.status)) return now;
      await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      return this.jobs.findOwned(ownerId, jobId);
    } finally {
      clearTimeout(timer);
      stop();
    }
  }
}
