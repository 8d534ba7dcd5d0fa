import { Injectable } from '@nestjs/common';

/** Enough for any number of jobs running at once; every worker hears every cancel, so old ids are dropped. */
const MAX_REMEMBERED = 10_000;

/** Jobs the API said to stop (a control message); the runner checks here between steps before asking the database. */
@Injectable()
export class CanceledJobs {
  private readonly ids = new Set<string>();

  add(jobId: string): void {
    this.ids.add(jobId);
    if (this.ids.size > MAX_REMEMBERED) this.ids.delete(this.ids.values().next().value!);
  }

  has(jobId: string): boolean {
    return this.ids.has(jobId);
  }

  delete(jobId: string): void {
    this.ids.delete(jobId);
  }
}
