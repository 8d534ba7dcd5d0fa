import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CreditLedger } from '@atelier/billing';
import { SignedImageUrls } from '@atelier/storage';
import { JobEventsPublisher } from './events/job-events.publisher';
import { ProgressCoalescer } from './events/progress-coalescer';
import type { JobEntity, JobError, JobOutput } from './job.entity';
import type { JobEventPayloads, NodeProgress } from './events/job-events';
import { withUrls } from './job-view';
import { JobsRepository } from './jobs.repository';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

/** Minimum time between two persisted/published progress updates of one job (longer under load: ProgressCoalescer). */
const PROGRESS_INTERVAL_MS = 250;

interface ProgressUpdate {
  ownerId: string;
  step: number;
  totalSteps: number;
  previewUrl?: string;
  node?: NodeProgress;
}

/**
 * The worker side of the job state machine. Every transition is a conditional UPDATE, so a
 * duplicate delivery, a late retry or a cancel can never move a finished job.
 */
@Injectable()
export class JobLifecycle {
  private readonly logger = new Logger(JobLifecycle.name);
  private readonly progressOut = new ProgressCoalescer<ProgressUpdate>(
    (jobId, update) => this.sendProgress(jobId, update),
    PROGRESS_INTERVAL_MS,
    (jobId, error) => this.logger.warn({ jobId, err: (error as Error).message }, 'a coalesced progress update was not saved'),
  );

  constructor(
    private readonly jobs: JobsRepository,
    private readonly events: JobEventsPublisher,
    private readonly ledger: CreditLedger,
    private readonly webhooks: WebhookDispatcher,
    private readonly urls: SignedImageUrls,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** queued → running (or running again after a stalled attempt); null if the job must not run. */
  async start(jobId: string): Promise<JobEntity | null> {
    const job = await this.jobs.transition(jobId, ['queued', 'running'], {
      status: 'running',
      startedAt: new Date(),
      attempts: () => 'attempts + 1',
      error: null,
    });
    if (!job) {
      this.logger.log({ jobId }, 'job not startable (finished, canceled or unknown); skipped');
      return null;
    }
    this.logger.log({ jobId, type: job.type, attempt: job.attempts }, 'job started');
    this.events.publish(job.ownerId, 'job.started', { jobId });
    return job;
  }

  /** Coalesced per job (the latest wins; see ProgressCoalescer): the last step of a job is always published at once. */
  async progress(job: Pick<JobEntity, 'id' | 'ownerId'>, step: number, totalSteps: number, previewUrl?: string, node?: NodeProgress): Promise<void> {
    // At once: the last step, a workflow node's last step, and steps that carry a preview (they are few by design).
    const lastOfNode = node !== undefined && node.nodeStep >= node.nodeTotalSteps;
    const urgent = step >= totalSteps || previewUrl !== undefined || lastOfNode;
    await this.progressOut.offer(job.id, { ownerId: job.ownerId, step, totalSteps, previewUrl, node }, urgent);
  }

  private async sendProgress(jobId: string, { ownerId, step, totalSteps, previewUrl, node }: ProgressUpdate): Promise<void> {
    const percent = Math.round((step / totalSteps) * 100);
    await this.jobs.saveProgress(jobId, { step, totalSteps, percent });
    this.events.publish(ownerId, 'job.progress', { jobId, step, totalSteps, percent, ...(previewUrl ? { previewUrl } : {}), ...(node ?? {}) });
  }

  /** The attempt ended (or stopped): a progress update still waiting is dropped, never sent after the final event. */
  settleProgress(jobId: string): void {
    this.progressOut.forget(jobId);
  }

  /** A workflow job's node events: not stored (the outputs and progress are), published as they happen. */
  nodeEvent<E extends 'job.nodes.cached' | 'job.node.started' | 'job.node.executed'>(job: Pick<JobEntity, 'id' | 'ownerId'>, event: E, payload: Omit<JobEventPayloads[E], 'jobId'>): void {
    this.events.publish(job.ownerId, event, { jobId: job.id, ...payload } as JobEventPayloads[E]);
  }

  /** The job's overall deadline: set now (`deadlineMs` from now) at its first start, kept across retries. */
  deadline(job: Pick<JobEntity, 'id' | 'deadlineAt'>, deadlineMs: number): Promise<Date> {
    return job.deadlineAt ? Promise.resolve(job.deadlineAt) : this.jobs.fixDeadline(job.id, deadlineMs);
  }

  async isCanceled(jobId: string): Promise<boolean> {
    return (await this.jobs.findById(jobId))?.status === 'canceled';
  }

  /** `ranOn`: the fallback model the outputs came from, when not the job's own. */
  async succeed(job: Pick<JobEntity, 'id' | 'ownerId'>, outputs: JobOutput[], totalSteps = 1, ranOn?: string): Promise<boolean> {
    this.progressOut.forget(job.id);
    const total = Math.max(totalSteps, 1);
    // The state change and the charge commit together, once: a replay finds the job finished.
    const done = await this.dataSource.transaction(async (em) => {
      const row = await this.jobs.transition(
        job.id,
        ['running'],
        { status: 'succeeded', outputs, progress: { step: total, totalSteps: total, percent: 100 }, finishedAt: new Date(), ...(ranOn ? { modelUsed: ranOn, degraded: true } : {}) },
        em,
      );
      if (row) await this.ledger.capture(em, job.id);
      return row;
    });
    if (!done) return false;
    this.logger.log({ jobId: job.id, outputs: outputs.length }, 'job succeeded');
    this.events.publish(job.ownerId, 'job.succeeded', { jobId: job.id, outputs: withUrls(outputs, (id) => this.urls.sign(id)) });
    await this.webhooks.schedule(done, 'job.succeeded');
    return true;
  }

  async fail(job: Pick<JobEntity, 'id' | 'ownerId'>, error: JobError): Promise<boolean> {
    this.progressOut.forget(job.id);
    const done = await this.dataSource.transaction(async (em) => {
      const row = await this.jobs.transition(job.id, ['queued', 'running'], { status: 'failed', error, finishedAt: new Date() }, em);
      if (row) await this.ledger.release(em, job.id);
      return row;
    });
    if (!done) return false;
    this.logger.warn({ jobId: job.id, code: error.code }, `job failed: ${error.message}`);
    this.events.publish(job.ownerId, 'job.failed', { jobId: job.id, error });
    await this.webhooks.schedule(done, 'job.failed');
    return true;
  }
}
