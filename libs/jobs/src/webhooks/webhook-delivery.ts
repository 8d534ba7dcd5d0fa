import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, Queue } from 'bull';
import { DataSource } from 'typeorm';
import { AppConfig, DomainError } from '@atelier/platform';
import { SignedImageUrls } from '@atelier/storage';
import { toJobView } from '../job-view';
import { JobsRepository } from '../jobs.repository';
import { SsrfGuard } from './ssrf-guard';
import { WEBHOOKS_QUEUE, type WebhookPayload } from './webhook-dispatcher';
import { WebhookSecrets } from './webhook-secrets';
import { signWebhook } from './webhook-signature';

/**
 * The worker's webhook sender: POSTs `{type, job}` signed the Standard Webhooks way, logs
 * every attempt, and lets Bull retry with exponential backoff on 5xx, 429 and network
 * errors. 4xx answers and refused addresses are final.
 */
@Injectable()
export class WebhookDelivery {
  private readonly logger = new Logger(WebhookDelivery.name);

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<WebhookPayload>,
    private readonly jobs: JobsRepository,
    private readonly secrets: WebhookSecrets,
    private readonly guard: SsrfGuard,
    private readonly urls: SignedImageUrls,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  consume(concurrency = 4): void {
    void this.queue.process(concurrency, (job: Job<WebhookPayload>) => this.deliver(job.data, job.attemptsMade + 1));
  }

  async deliver(payload: WebhookPayload, attempt: number): Promise<void> {
    const job = await this.jobs.findById(payload.jobId);
    if (!job?.webhookUrl) return;
    const body = JSON.stringify({ type: payload.event, job: toJobView(job, (id) => this.urls.sign(id)) });
    const timestamp = Math.floor(Date.now() / 1000);
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      await this.guard.resolve(job.webhookUrl);
      const response = await fetch(job.webhookUrl, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Atelier-Webhooks/1',
          'webhook-id': payload.messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(await this.secrets.secretOf(job.ownerId), payload.messageId, timestamp, body),
        },
        body,
      });
      status = response.status;
      await response.body?.cancel();
    } catch (e) {
      error = e instanceof DomainError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
      if (e instanceof DomainError) {
        await this.record(payload, job.webhookUrl, attempt, null, error, started);
        return; // refused by the SSRF guard: retrying cannot help
      }
    }
    await this.record(payload, job.webhookUrl, attempt, status, error, started);
    const retryable = status === null || status >= 500 || status === 429;
    this.logger.log({ jobId: job.id, event: payload.event, attempt, status, error }, 'webhook attempt');
    if (retryable) throw new Error(`webhook attempt ${attempt} failed: ${error ?? `HTTP ${status}`}`);
  }

  private async record(p: WebhookPayload, url: string, attempt: number, status: number | null, error: string | null, started: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO webhook_deliveries (job_id, message_id, event, url, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [p.jobId, p.messageId, p.event, url, attempt, status, error, Date.now() - started],
    );
  }
}
