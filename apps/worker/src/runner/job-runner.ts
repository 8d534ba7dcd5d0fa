import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { attemptBudgetMs, attemptOutcome, fieldIssues, jobDeadlineMs, jobErrors, JobLifecycle, JobQueueConsumer, JOB_TYPES, WebhookDelivery, type AttemptCaps, type JobEntity, type QueuedJobPayload } from '@atelier/jobs';
import { AppConfig } from '@atelier/platform';
import { JOB_HANDLERS, JobCanceled, type JobHandler } from '../handlers/job-handler';
import { JobHandlerRegistry } from '../handlers/job-handler-registry';
import { WorkerHealth } from '../health/worker-health';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { AttemptTimer } from './attempt-timer';
import { CanceledJobs } from './canceled-jobs';
import { ModerationPolicy } from '../moderation/moderation-policy';

/**
 * Takes jobs from both lanes and runs the handler of each job's type with its input parsed by the
 * type's schema. What a failure means (fail now, or back to Bull for a retry with backoff) is
 * `attemptOutcome`'s decision. Each attempt runs under its time limit (AttemptTimer) and the job's
 * overall deadline: past it the handler is stopped like a cancel, and only then is it retried.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobRunner.name);
  private readonly handlers: JobHandlerRegistry;

  constructor(
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    private readonly lifecycle: JobLifecycle,
    private readonly consumer: JobQueueConsumer,
    /** Jobs the API told us to stop (WorkerControlController fills it); checked between steps before asking the database. */
    private readonly canceled: CanceledJobs,
    private readonly webhooks: WebhookDelivery,
    private readonly metrics: WorkerMetrics,
    private readonly health: WorkerHealth,
    private readonly config: AppConfig,
    private readonly moderation: ModerationPolicy,
  ) {
    this.handlers = new JobHandlerRegistry(handlers, JOB_TYPES);
  }

  async onApplicationBootstrap(): Promise<void> {
    const process = (payload: QueuedJobPayload, attempt: { made: number; max: number }) => this.process(payload, attempt);
    const gaveUp = (payload: QueuedJobPayload, reason: string) => this.gaveUp(payload, reason);
    this.consumer.consume('cpu', this.config.workerCpuConcurrency, process, gaveUp);
    this.consumer.consume('gpu', this.config.workerGpuConcurrency, process, gaveUp);
    // Reserved slots for light GPU work: never behind a generation on this worker.
    this.consumer.consume('gpu-light', this.config.workerLightConcurrency, process, gaveUp);
    this.webhooks.consume();
  }

  async process(payload: QueuedJobPayload, attempt: { made: number; max: number }): Promise<void> {
    const job = await this.lifecycle.start(payload.jobId);
    if (!job) return;
    const handler = this.handlers.of(job.type);
    if (!handler) {
      await this.lifecycle.fail(job, { code: 'JOB_TYPE_NOT_AVAILABLE', message: `This worker does not handle ${job.type} jobs` });
      return;
    }
    const input = handler.definition.input.safeParse(job.input, { reportInput: true });
    if (!input.success) {
      await this.lifecycle.fail(job, { code: 'INVALID_JOB', message: `The stored input does not fit ${job.type}: ${fieldIssues(input.error).map((f) => f.message).join('; ')}` });
      return;
    }
    const caps: AttemptCaps = { attemptTimeoutCapMs: this.config.jobAttemptTimeoutCapMs, deadlineCapMs: this.config.jobDeadlineCapMs };
    const deadlineAt = await this.lifecycle.deadline(job, jobDeadlineMs(job.type, caps));
    const budgetMs = attemptBudgetMs(job.type, deadlineAt, caps);
    if (budgetMs <= 0) {
      await this.lifecycle.fail(job, { code: 'JOB_TIMEOUT', message: 'The job ran past its overall deadline' });
      this.metrics.jobs.inc({ type: job.type, outcome: 'failed', code: 'JOB_TIMEOUT' });
      return;
    }
    const timer = new AttemptTimer(budgetMs);
    let totalSteps = 1;
    let ranOn: string | undefined;
    if (job.startedAt) this.metrics.queueWait.observe({ lane: job.lane }, (job.startedAt.getTime() - job.createdAt.getTime()) / 1000);
    const stopTimer = this.metrics.compute.startTimer({ type: job.type });
    try {
      const outputs = await (handler as JobHandler).run({
        job,
        input: input.data as never,
        reportProgress: (step, total, previewUrl, node) => {
          totalSteps = total;
          return this.lifecycle.progress(job, step, total, previewUrl, node);
        },
        reportNode: (event, payload) => this.lifecycle.nodeEvent(job, event, payload),
        ranOnFallback: (modelId) => (ranOn = modelId),
        isCanceled: async () => timer.expired || this.canceled.has(job.id) || (await this.lifecycle.isCanceled(job.id)),
      });
      await this.moderation.screenOutputs(job, outputs);
      await this.lifecycle.succeed(job, outputs, totalSteps, ranOn);
      this.health.succeeded();
      stopTimer();
      this.metrics.jobs.inc({ type: job.type, outcome: 'succeeded', code: '' });
    } catch (error) {
      if (this.canceled.has(job.id) || (error instanceof JobCanceled && !timer.expired)) {
        this.logger.log({ jobId: job.id }, 'job stopped after cancel');
        return;
      }
      if (timer.expired) {
        this.health.failed(job.id, jobErrors('JOB_TIMEOUT', 'attempt past its time limit'));
        return await this.onTimeout(job, timer, deadlineAt, attempt);
      }
      this.health.failed(job.id, error);
      await this.onError(job, error, attempt);
    } finally {
      timer.clear();
      this.lifecycle.settleProgress(job.id);
      this.canceled.delete(job.id);
    }
  }

  /** The attempt has stopped (the handler returned): retried while the deadline leaves room, else JOB_TIMEOUT. */
  private async onTimeout(job: JobEntity, timer: AttemptTimer, deadlineAt: Date, attempt: { made: number; max: number }): Promise<void> {
    this.logger.warn({ jobId: job.id, attempt: attempt.made + 1, budgetMs: timer.budgetMs }, 'attempt stopped at its time limit');
    if (Date.now() >= deadlineAt.getTime()) {
      await this.lifecycle.fail(job, { code: 'JOB_TIMEOUT', message: 'The job ran past its overall deadline' });
      this.metrics.jobs.inc({ type: job.type, outcome: 'failed', code: 'JOB_TIMEOUT' });
      return;
    }
    await this.onError(job, jobErrors('JOB_TIMEOUT', `An attempt ran past its time limit (${timer.budgetMs} ms)`), attempt);
  }

  /** Bull stopped retrying (stalled twice, or timed out on the last attempt): fail it and release the credits. */
  private async gaveUp(payload: QueuedJobPayload, reason: string): Promise<void> {
    const code = /stalled/i.test(reason) ? 'JOB_STALLED' : /timed? ?out/i.test(reason) ? 'JOB_TIMEOUT' : 'JOB_FAILED';
    await this.lifecycle.fail({ id: payload.jobId, ownerId: payload.ownerId }, { code, message: `The job did not finish: ${reason}` });
  }

  private async onError(job: JobEntity, error: unknown, attempt: { made: number; max: number }): Promise<void> {
    const outcome = attemptOutcome(error, attempt);
    if (outcome.kind === 'fail') {
      this.logger.warn({ jobId: job.id, err: (error as Error).message }, 'job failed');
      const { kind: _kind, ...jobError } = outcome;
      await this.lifecycle.fail(job, jobError);
      this.metrics.jobs.inc({ type: job.type, outcome: 'failed', code: outcome.code });
      return;
    }
    this.logger.warn({ jobId: job.id, attempt: attempt.made + 1, err: (error as Error).message }, 'job attempt failed; retrying');
    throw error;
  }
}
