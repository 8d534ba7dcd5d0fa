import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '@atelier/platform';
import type { JobEntity } from '../job.entity';

export const WEBHOOKS_QUEUE = 'webhooks';
export const WEBHOOK_ATTEMPTS = 6;

export type WebhookEvent = 'job.succeeded' | 'job.failed' | 'job.canceled';

export interface WebhookPayload {
  jobId: string;
  ownerId: string;
  event: WebhookEvent;
  /** The `webhook-id`: the same on every retry of one event, so receivers can deduplicate. */
  messageId: string;
}

/** Queues a job's final-state webhook; delivery and retries happen in the worker. */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<WebhookPayload>,
    private readonly config: AppConfig,
  ) {}

  /** Never throws: a webhook that cannot be queued is logged, the job's own state stands. */
  async schedule(job: Pick<JobEntity, 'id' | 'ownerId' | 'webhookUrl'>, event: WebhookEvent): Promise<void> {
    if (!job.webhookUrl) return;
    const messageId = `msg_${randomUUID()}`;
    try {
      await this.queue.add(
        { jobId: job.id, ownerId: job.ownerId, event, messageId },
        {
          jobId: `${job.id}:${event}`,
          attempts: WEBHOOK_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.webhookRetryBaseMs },
          removeOnComplete: 1000,
          removeOnFail: 1000,
        },
      );
    } catch (error) {
      this.logger.warn({ jobId: job.id, event, err: (error as Error).message }, 'webhook not queued');
    }
  }
}
