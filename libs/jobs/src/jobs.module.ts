import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingModule } from '@atelier/billing';
import { AppConfig, PrefixedRedisClient, RedisConnections, redisOptionsFromUrl } from '@atelier/platform';
import { StorageModule } from '@atelier/storage';
import { WORKER_CONTROL_CLIENT, WorkerControl } from './control/worker-control';
import { JobCompletion } from './events/job-completion';
import { JobEventStream } from './events/job-event-stream';
import { JobEventsPublisher } from './events/job-events.publisher';
import { IdempotencyKeys } from './idempotency/idempotency-keys';
import { JobLifecycle } from './job-lifecycle';
import { JobRetention } from './job-retention';
import { JobEntity } from './job.entity';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { JobQueueConsumer } from './queue/job-queue.consumer';
import { JobQueueProducer } from './queue/job-queue.producer';
import { QUEUE_NAMES } from './queue/queue-names';
import { LaneQueues } from './queue/lane-queues';
import { QueueAging } from './queue/queue-aging';
import { QueueStats } from './queue/queue-stats';
import { QueueReconciler } from './queue/queue-reconciler';
import { SsrfGuard } from './webhooks/ssrf-guard';
import { WebhookDelivery } from './webhooks/webhook-delivery';
import { WEBHOOKS_QUEUE, WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookSecrets } from './webhooks/webhook-secrets';

@Module({
  imports: [
    TypeOrmModule.forFeature([JobEntity]),
    BillingModule,
    StorageModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redis: redisOptionsFromUrl(config.redisUrl),
        prefix: `${config.redisPrefix}bull`,
        // Stalled jobs (worker killed) are noticed within one lock period and re-run once.
        settings: { lockDuration: config.queueLockDurationMs, stalledInterval: config.queueLockDurationMs, maxStalledCount: 1 },
      }),
    }),
    BullModule.registerQueue({ name: QUEUE_NAMES.gpu }, { name: QUEUE_NAMES['gpu-light'] }, { name: QUEUE_NAMES.cpu }, { name: WEBHOOKS_QUEUE }),
    // The sender of the control messages; it connects on its first message.
    ClientsModule.registerAsync([
      { name: WORKER_CONTROL_CLIENT, inject: [RedisConnections], useFactory: (redis: RedisConnections) => ({ customClass: PrefixedRedisClient, options: redis }) },
    ]),
  ],
  providers: [
    LaneQueues,
    JobsRepository,
    JobQueueProducer,
    JobQueueConsumer,
    JobEventsPublisher,
    JobEventStream,
    JobCompletion,
    IdempotencyKeys,
    WorkerControl,
    JobsService,
    JobLifecycle,
    QueueAging,
    JobRetention,
    QueueStats,
    QueueReconciler,
    { provide: SsrfGuard, inject: [AppConfig], useFactory: (config: AppConfig) => new SsrfGuard(config.webhookAllowHosts) },
    WebhookSecrets,
    WebhookDispatcher,
    WebhookDelivery,
  ],
  exports: [JobsRepository, JobQueueProducer, IdempotencyKeys, SsrfGuard, WebhookDispatcher, JobsService, JobLifecycle, JobQueueConsumer, JobEventsPublisher, JobEventStream, JobCompletion, WorkerControl, WebhookSecrets, WebhookDelivery, QueueAging, JobRetention, QueueStats, QueueReconciler],
})
export class JobsModule {}
