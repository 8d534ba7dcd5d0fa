import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthService } from '@atelier/auth';
import { BillingAccounts, CreditLedger, PlansService, SubmissionRateLimiter, type PlanView } from '@atelier/billing';
import { ModelCatalog } from '@atelier/models';
import { AppConfig, DomainError } from '@atelier/platform';
import { ImagesService, SignedImageUrls, type ImageView } from '@atelier/storage';
import { JobEventsPublisher } from '../events/job-events.publisher';
import { IdempotencyKeys, requestHash } from '../idempotency/idempotency-keys';
import { jobErrors } from '../job-errors';
import type { JobEntity } from '../job.entity';
import { withUrls } from '../job-view';
import { JobsRepository } from '../jobs.repository';
import { JobQueueProducer } from '../queue/job-queue.producer';
import { quoteCost, type Acceptance, type AcceptContext, type AnyJobTypeDefinition } from '../types/job-type-definition';
import { JOB_TYPE_DEFINITIONS, jobTypeDefinition } from '../types/job-types';
import { validateJobRequest, type ValidJobRequest } from '../types/validate-job';
import { SsrfGuard } from '../webhooks/ssrf-guard';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { checkPlanLimits } from './plan-limits';
import { PromptPolicy } from './prompt-policy';
import { ResultCache } from './result-cache';
import { TEMPLATE_PROMPTS, type TemplatePrompts } from './template-prompts';

export interface Submission {
  job: JobEntity;
  /** True when an Idempotency-Key replayed an earlier request: the same job, nothing new made. */
  replayed: boolean;
}

/** A request ready for the transaction: template rendered, model resolved, limits passed. */
interface AcceptedRequest extends ValidJobRequest {
  definition: AnyJobTypeDefinition;
  template: { id: string; version: number } | null;
  cost: number;
  plan: PlanView;
  /** The result cache key (null: not cacheable); stored on the job so later identical jobs find it. */
  cacheKey: string | null;
}

class IdempotencyRaceLost extends Error {}

/** The input fields that name one of the caller's images. */
const IMAGE_FIELDS = ['imageId', 'maskImageId'] as const;

/**
 * Accepting a job, in this order: validate the client's body → replay by Idempotency-Key on that
 * body → render the template → check the model → plan limits, rate, input images, monthly grant →
 * the result cache (an identical deterministic job already succeeded: a finished job at once) →
 * one transaction (concurrency cap, key, reservation, row) → enqueue, or undo all of it (503).
 * Nothing is written before the last two steps, so a refusal loses nothing and leaves nothing.
 */
@Injectable()
export class SubmitJob implements OnModuleInit {
  private readonly logger = new Logger(SubmitJob.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly queue: JobQueueProducer,
    private readonly events: JobEventsPublisher,
    private readonly idempotency: IdempotencyKeys,
    private readonly users: AuthService,
    private readonly plans: PlansService,
    private readonly accounts: BillingAccounts,
    private readonly ledger: CreditLedger,
    private readonly limiter: SubmissionRateLimiter,
    private readonly images: ImagesService,
    private readonly models: ModelCatalog,
    private readonly prompts: PromptPolicy,
    private readonly ssrf: SsrfGuard,
    private readonly resultCache: ResultCache,
    private readonly urls: SignedImageUrls,
    private readonly webhooks: WebhookDispatcher,
    private readonly config: AppConfig,
    @Inject(TEMPLATE_PROMPTS) private readonly templates: TemplatePrompts,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** A default model that is not declared, or does another type, stops the API with the setting's name. */
  onModuleInit(): void {
    for (const definition of JOB_TYPE_DEFINITIONS) {
      const setting = definition.defaultModelSetting;
      if (!setting) continue;
      try {
        this.models.checkJobModel(definition.type, this.config.setting(setting));
      } catch (error) {
        throw new Error(`${setting}: ${(error as Error).message}`);
      }
    }
  }

  async execute(userId: string, body: unknown, idempotencyKey?: string): Promise<Submission> {
    const request = validateJobRequest(body);
    if (request.webhookUrl) this.ssrf.checkUrl(request.webhookUrl);
    const hash = requestHash(body);
    if (idempotencyKey !== undefined) {
      this.idempotency.validate(idempotencyKey);
      const earlier = await this.replay(userId, idempotencyKey, hash);
      if (earlier) return earlier;
    }
    const accepted = await this.accept(userId, request);
    let job: JobEntity;
    try {
      const earlier = accepted.cacheKey && request.cache ? await this.resultCache.find(userId, accepted.cacheKey) : null;
      if (earlier) return await this.answerFromCache(userId, accepted, earlier, idempotencyKey, hash);
      job = await this.createReserved(userId, accepted, idempotencyKey, hash);
    } catch (error) {
      if (error instanceof IdempotencyRaceLost && idempotencyKey) {
        const earlier = await this.replay(userId, idempotencyKey, hash);
        if (earlier) return earlier;
      }
      throw error;
    }
    await this.enqueueOrUndo(job, idempotencyKey);
    this.logger.log({ jobId: job.id, type: job.type, lane: job.lane, cost: job.cost }, 'job accepted');
    this.events.publish(job.ownerId, 'job.queued', { jobId: job.id, queuePosition: await this.jobs.countAhead(job) });
    return { job, replayed: false };
  }

  /** The credits a job body would cost; validates it (a workflow's graph too), creates nothing. */
  async quote(userId: string, body: unknown): Promise<{ cost: number }> {
    const request = validateJobRequest(body);
    const definition = jobTypeDefinition(request.type);
    const acceptance = await definition.accept?.(request.input, this.acceptContext(userId));
    return { cost: acceptance?.cost ?? quoteCost(definition, request.input) };
  }

  private acceptContext(userId: string): AcceptContext {
    return { models: this.models, ownedImages: (ids) => this.images.ownedIds(userId, ids) };
  }

  /** Everything that can refuse the job without writing: template, prompts, model, plan, rate, images. */
  private async accept(userId: string, request: ValidJobRequest): Promise<AcceptedRequest> {
    const definition = jobTypeDefinition(request.type);
    const { input, template } = await this.renderTemplate(userId, request.input);
    for (const field of definition.promptFields ?? []) {
      if (typeof input[field] === 'string') this.prompts.check(input[field], field);
    }
    const model = this.resolveModel(definition, request.model);
    const acceptance: Acceptance | undefined = await definition.accept?.(input, this.acceptContext(userId));
    for (const text of acceptance?.prompts ?? []) this.prompts.check(text);
    const { plan: planId } = await this.users.getUser(userId);
    const plan = await this.plans.get(planId);
    checkPlanLimits(acceptance ? acceptance.workload : definition.workload?.(input), plan);
    await this.limiter.consume(userId, plan.ratePerMinute);
    const images = await this.checkInputImages(userId, input);
    await this.accounts.ensureMonthlyGrant(userId, plan);
    this.queue.assertAvailable(request.type);
    const cacheKey = this.resultCache.keyOf({ definition, model, input, imageSha256: images.map((image) => image.sha256).join(',') || null });
    return { ...request, input, model, definition, template, cost: acceptance?.cost ?? quoteCost(definition, input), plan, cacheKey };
  }

  /**
   * A finished job made at once from an earlier one's outputs, charged RESULT_CACHE_COST: it never
   * queues, so the concurrency cap does not apply; the key, the charge and the row commit together.
   */
  private async answerFromCache(ownerId: string, request: AcceptedRequest, earlier: JobEntity, idempotencyKey: string | undefined, hash: string): Promise<Submission> {
    const id = randomUUID();
    const cost = this.config.resultCacheCost;
    const now = new Date();
    const job = await this.dataSource.transaction(async (em) => {
      await this.ledger.lockAccount(em, ownerId);
      if (idempotencyKey && !(await this.idempotency.record(em, ownerId, idempotencyKey, hash, id))) throw new IdempotencyRaceLost();
      // The ledger holds positive amounts only: a free cached answer writes no entry.
      if (cost > 0) await this.ledger.reserve(em, ownerId, id, cost);
      const row = await this.jobs.insert(
        {
          ...this.rowOf(id, ownerId, request),
          status: 'succeeded',
          outputs: earlier.outputs,
          progress: { step: 1, totalSteps: 1, percent: 100 },
          cost,
          cached: true,
          startedAt: now,
          finishedAt: now,
        },
        em,
      );
      if (cost > 0) await this.ledger.capture(em, id);
      return row;
    });
    this.logger.log({ jobId: job.id, type: job.type, from: earlier.id, cost }, 'job answered from the result cache');
    this.events.publish(ownerId, 'job.succeeded', { jobId: job.id, outputs: withUrls(job.outputs, (imageId) => this.urls.sign(imageId)) });
    await this.webhooks.schedule(job, 'job.succeeded');
    return { job, replayed: false };
  }

  /** The columns every new job row starts with. */
  private rowOf(id: string, ownerId: string, request: AcceptedRequest): Partial<JobEntity> {
    return {
      id,
      ownerId,
      type: request.type,
      model: request.model,
      lane: request.definition.lane,
      input: request.input,
      webhookUrl: request.webhookUrl,
      cost: request.cost,
      priority: request.plan.priority,
      templateId: request.template?.id ?? null,
      templateVersion: request.template?.version ?? null,
      cacheKey: request.cacheKey,
      storageQuotaBytes: request.plan.storageQuotaBytes,
    };
  }

  /** `templateId + subject` become the rendered `prompt` (and `negativePrompt`); the job records the version. */
  private async renderTemplate(userId: string, input: Record<string, unknown>) {
    const { templateId, subject, variables, templateVersion, ...rest } = input;
    if (typeof templateId !== 'string') return { input, template: null };
    const rendered = await this.templates.render(userId, {
      templateId,
      subject: subject as string,
      variables: variables as Record<string, string> | undefined,
      version: templateVersion as number | undefined,
    });
    return {
      input: { ...(rendered.negativePrompt ? { negativePrompt: rendered.negativePrompt } : {}), ...rest, prompt: rendered.prompt },
      template: { id: rendered.templateId, version: rendered.version },
    };
  }

  /** The named model, or the type's configured default; 422 when it does not exist or does another type. */
  private resolveModel(definition: AnyJobTypeDefinition, model: string | null): string | null {
    if (!definition.usesModel) {
      if (model !== null) throw jobErrors('INVALID_JOB', `model does not apply to ${definition.type} jobs`, { field: 'model' });
      return null;
    }
    const setting = definition.defaultModelSetting;
    const chosen = model ?? (setting ? this.config.setting(setting) : null);
    if (chosen !== null) this.models.checkJobModel(definition.type, chosen);
    return chosen;
  }

  private async replay(ownerId: string, key: string, hash: string): Promise<Submission | null> {
    const jobId = await this.idempotency.find(ownerId, key, hash);
    const job = jobId ? await this.jobs.findOwned(ownerId, jobId) : null;
    return job ? { job, replayed: true } : null;
  }

  private createReserved(ownerId: string, request: AcceptedRequest, idempotencyKey: string | undefined, hash: string): Promise<JobEntity> {
    const id = randomUUID();
    const { plan } = request;
    return this.dataSource.transaction(async (em) => {
      // One submit per user at a time: the cap check and the reservation see each other.
      await this.ledger.lockAccount(em, ownerId);
      if ((await this.jobs.countActive(ownerId, em)) >= plan.maxConcurrentJobs) {
        throw jobErrors('CONCURRENCY_LIMIT', `Your plan runs ${plan.maxConcurrentJobs} jobs at a time; wait for one to finish`, {
          maxConcurrentJobs: plan.maxConcurrentJobs,
          retryAfterSeconds: 5,
        });
      }
      if (idempotencyKey && !(await this.idempotency.record(em, ownerId, idempotencyKey, hash, id))) throw new IdempotencyRaceLost();
      await this.ledger.reserve(em, ownerId, id, request.cost);
      return this.jobs.insert({ ...this.rowOf(id, ownerId, request), status: 'queued' }, em);
    });
  }

  private async enqueueOrUndo(job: JobEntity, idempotencyKey: string | undefined): Promise<void> {
    try {
      await this.queue.enqueue(job, await this.jobs.countOwnWaiting(job.ownerId, job.type, job.id));
    } catch (error) {
      await this.dataSource.transaction(async (em) => {
        await this.ledger.release(em, job.id);
        if (idempotencyKey) await this.idempotency.forget(em, job.ownerId, idempotencyKey);
        await this.jobs.deleteById(job.id, em);
      });
      this.logger.warn({ jobId: job.id }, 'queue refused the job; reservation released and row removed');
      throw error;
    }
  }

  /**
   * Image inputs (`imageId`, an inpainting `maskImageId`) must be the caller's own, existing
   * images; returns them in IMAGE_FIELDS order.
   */
  private async checkInputImages(ownerId: string, input: Record<string, unknown>): Promise<ImageView[]> {
    const images: ImageView[] = [];
    for (const field of IMAGE_FIELDS) {
      const id = input[field];
      if (typeof id !== 'string') continue;
      try {
        images.push(await this.images.get(ownerId, id));
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'not_found') {
          throw jobErrors('IMAGE_NOT_FOUND', `input.${field} names no image of yours`, { field });
        }
        throw error;
      }
    }
    return images;
  }
}
