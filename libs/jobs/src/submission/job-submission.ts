import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BillingAccounts, CreditLedger, PlansService, quoteJobCost, SubmissionRateLimiter } from '@atelier/billing';
import { DomainError } from '@atelier/platform';
import { ImagesService } from '@atelier/storage';
import { JobEventsPublisher } from '../events/job-events.publisher';
import { IdempotencyKeys, requestHash } from '../idempotency/idempotency-keys';
import type { JobEntity } from '../job.entity';
import { JobsRepository } from '../jobs.repository';
import { JobQueueProducer } from '../queue/job-queue.producer';
import { laneOf } from '../types/job-types';
import { validateJobRequest, type ValidJobRequest } from '../types/validate-job';
import { SsrfGuard } from '../webhooks/ssrf-guard';
import { bullPriority, checkPlanLimits } from './plan-limits';

export interface Submitter {
  userId: string;
  plan: string;
}

class IdempotencyRaceLost extends Error {}

/**
 * Accepting a job: validate, check the plan's limits and rate, then in ONE transaction
 * check the concurrency cap, record the Idempotency-Key, reserve the credits and insert
 * the row; then enqueue. If the queue refuses, the reservation is released and the row
 * removed, so nothing half-made remains (503).
 */
@Injectable()
export class JobSubmission {
  private readonly logger = new Logger(JobSubmission.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueueProducer,
    private readonly events: JobEventsPublisher,
    private readonly idempotency: IdempotencyKeys,
    private readonly plans: PlansService,
    private readonly accounts: BillingAccounts,
    private readonly ledger: CreditLedger,
    private readonly limiter: SubmissionRateLimiter,
    private readonly images: ImagesService,
    private readonly ssrf: SsrfGuard,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  quote(body: unknown): { cost: number } {
    const request = validateJobRequest(body);
    return { cost: quoteJobCost(request.type, request.input) };
  }

  /** Returns the job and whether it was an earlier request replayed by its Idempotency-Key. */
  /** `template`: the template version the API rendered the prompt from (recorded for A/B statistics). */
  async submit(
    submitter: Submitter,
    body: unknown,
    idempotencyKey?: string,
    template?: { id: string; version: number },
  ): Promise<{ job: JobEntity; replayed: boolean }> {
    const request = validateJobRequest(body);
    if (request.webhookUrl) this.ssrf.checkUrl(request.webhookUrl);
    const hash = requestHash(body);
    if (idempotencyKey !== undefined) {
      this.idempotency.validate(idempotencyKey);
      const earlier = await this.replay(submitter.userId, idempotencyKey, hash);
      if (earlier) return earlier;
    }
    const plan = await this.plans.get(submitter.plan);
    checkPlanLimits(request, plan);
    await this.checkInputImage(submitter.userId, request);
    await this.limiter.consume(submitter.userId, plan.ratePerMinute);
    await this.accounts.ensureMonthlyGrant(submitter.userId, plan);
    this.queue.assertAvailable(request.type);

    let job: JobEntity;
    try {
      job = await this.createReserved(submitter.userId, request, plan, idempotencyKey, hash, template);
    } catch (error) {
      if (error instanceof IdempotencyRaceLost && idempotencyKey) {
        const earlier = await this.replay(submitter.userId, idempotencyKey, hash);
        if (earlier) return earlier;
      }
      throw error;
    }
    await this.enqueueOrUndo(job, idempotencyKey);
    const queuePosition = await this.jobs.countAhead(job);
    this.logger.log({ jobId: job.id, type: job.type, lane: job.lane, cost: job.cost }, 'job accepted');
    this.events.publish(job.ownerId, 'job.queued', { jobId: job.id, queuePosition });
    return { job, replayed: false };
  }

  private async replay(ownerId: string, key: string, hash: string): Promise<{ job: JobEntity; replayed: boolean } | null> {
    const jobId = await this.idempotency.find(ownerId, key, hash);
    const job = jobId ? await this.jobs.findOwned(ownerId, jobId) : null;
    return job ? { job, replayed: true } : null;
  }

  private async createReserved(
    ownerId: string,
    request: ValidJobRequest,
    plan: { maxConcurrentJobs: number; priority: number },
    idempotencyKey: string | undefined,
    hash: string,
    template?: { id: string; version: number },
  ): Promise<JobEntity> {
    const id = randomUUID();
    const cost = quoteJobCost(request.type, request.input);
    return this.dataSource.transaction(async (em) => {
      // One submit per user at a time: the cap check and the reservation see each other.
      await em.query('SELECT 1 FROM balances WHERE user_id = $1 FOR UPDATE', [ownerId]);
      const active = await this.jobs.countActive(ownerId, em);
      if (active >= plan.maxConcurrentJobs) {
        throw new DomainError('rate_limited', 'CONCURRENCY_LIMIT', `Your plan runs ${plan.maxConcurrentJobs} jobs at a time; wait for one to finish`, {
          maxConcurrentJobs: plan.maxConcurrentJobs,
          retryAfterSeconds: 5,
        });
      }
      if (idempotencyKey && !(await this.idempotency.record(em, ownerId, idempotencyKey, hash, id))) throw new IdempotencyRaceLost();
      await this.ledger.reserve(em, ownerId, id, cost);
      return this.jobs.insert(
        { id, ownerId, type: request.type, model: request.model, lane: laneOf(request.type), status: 'queued', input: request.input, webhookUrl: request.webhookUrl, cost, priority: plan.priority, templateId: template?.id ?? null, templateVersion: template?.version ?? null },
        em,
      );
    });
  }

  private async enqueueOrUndo(job: JobEntity, idempotencyKey: string | undefined): Promise<void> {
    try {
      await this.queue.enqueue(job.lane, { jobId: job.id, ownerId: job.ownerId }, { priority: bullPriority(job.priority), type: job.type });
    } catch (error) {
      await this.dataSource.transaction(async (em) => {
        await this.ledger.release(em, job.id);
        if (idempotencyKey) await em.query('DELETE FROM idempotency_keys WHERE owner_id = $1 AND key = $2', [job.ownerId, idempotencyKey]);
        await this.jobs.deleteById(job.id, em);
      });
      this.logger.warn({ jobId: job.id }, 'queue refused the job; reservation released and row removed');
      throw error;
    }
  }

  /** Image inputs must be the caller's own, existing images. */
  private async checkInputImage(ownerId: string, request: ValidJobRequest): Promise<void> {
    const imageId = request.input.imageId;
    if (typeof imageId !== 'string') return;
    try {
      await this.images.get(ownerId, imageId);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not_found') {
        throw new DomainError('invalid', 'IMAGE_NOT_FOUND', 'input.imageId names no image of yours', { field: 'imageId' });
      }
      throw error;
    }
  }
}
