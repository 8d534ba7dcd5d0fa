import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CreditLedger } from '@atelier/billing';
import type { Page } from '@atelier/platform';
import { jobErrors } from './job-errors';
import { SignedImageUrls } from '@atelier/storage';
import { WorkerControl } from './control/worker-control';
import { JobEventsPublisher } from './events/job-events.publisher';
import { FINAL_STATUSES, type JobEntity, type JobStatus } from './job.entity';
import { toJobView, type JobView } from './job-view';
import { JobsRepository } from './jobs.repository';
import { JobQueueProducer } from './queue/job-queue.producer';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

export interface JobListQuery {
  status?: JobStatus;
  type?: string;
  cursor?: string;
  limit?: number;
}

/** The API side of jobs after acceptance: read, list, cancel. */
@Injectable()
export class JobsService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueueProducer,
    private readonly events: JobEventsPublisher,
    private readonly ledger: CreditLedger,
    private readonly control: WorkerControl,
    private readonly webhooks: WebhookDispatcher,
    private readonly urls: SignedImageUrls,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async get(ownerId: string, id: string): Promise<JobView> {
    return this.view(await this.findOwned(ownerId, id));
  }

  async view(job: JobEntity): Promise<JobView> {
    return toJobView(job, this.urlFor, job.status === 'queued' ? await this.jobs.countAhead(job) : undefined);
  }

  async list(ownerId: string, query: JobListQuery): Promise<Page<JobView>> {
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
    const page = await this.jobs.page(ownerId, { status: query.status, type: query.type }, query.cursor, limit);
    return { items: page.items.map((job) => toJobView(job, this.urlFor)), nextCursor: page.nextCursor };
  }

  /** A queued job never starts; a running one stops at its next step. Credits are released once. */
  async cancel(ownerId: string, id: string): Promise<JobView> {
    const job = await this.findOwned(ownerId, id);
    if (FINAL_STATUSES.includes(job.status)) {
      throw jobErrors('JOB_FINISHED', `The job is already ${job.status}`);
    }
    const canceled = await this.dataSource.transaction(async (em) => {
      const row = await this.jobs.transition(id, ['queued', 'running'], { status: 'canceled', finishedAt: new Date() }, em);
      if (row) await this.ledger.release(em, id);
      return row;
    });
    if (!canceled) throw jobErrors('JOB_FINISHED', 'The job finished before it could be canceled');
    await this.queue.removeWaiting(job.type, id).catch(() => undefined);
    // The row says canceled already; a worker that misses the message sees it at its next check.
    await this.control.cancelJob(id).catch(() => undefined);
    this.events.publish(ownerId, 'job.canceled', { jobId: id });
    await this.webhooks.schedule(canceled, 'job.canceled');
    return toJobView(canceled, this.urlFor);
  }

  private readonly urlFor = (imageId: string) => this.urls.sign(imageId);

  private async findOwned(ownerId: string, id: string): Promise<JobEntity> {
    const job = await this.jobs.findOwned(ownerId, id);
    if (!job) throw jobErrors('JOB_NOT_FOUND', 'Job not found');
    return job;
  }
}
