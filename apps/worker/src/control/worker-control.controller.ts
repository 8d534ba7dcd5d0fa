import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ModelCache } from '@atelier/inference';
import { JobQueueConsumer, WORKER_CONTROL, type CancelJobMessage, type ModelControlMessage, type WorkerControlMessage } from '@atelier/jobs';
import { WorkerHeartbeatPublisher } from '../heartbeat/worker-heartbeat.publisher';
import { WorkerIdentity } from '../heartbeat/worker-identity';
import { CanceledJobs } from '../runner/canceled-jobs';

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;

/**
 * The control messages from the API (Redis transport, channels prefixed with REDIS_PREFIX).
 * Every worker hears each one; a message naming another worker is ignored. After a change the
 * heartbeat goes out at once, which is how the API (and an operator) sees the effect.
 */
@Controller()
export class WorkerControlController {
  private readonly logger = new Logger(WorkerControlController.name);

  constructor(
    private readonly identity: WorkerIdentity,
    private readonly canceled: CanceledJobs,
    private readonly consumer: JobQueueConsumer,
    private readonly models: ModelCache,
    private readonly heartbeat: WorkerHeartbeatPublisher,
  ) {}

  @EventPattern(WORKER_CONTROL.cancelJob)
  cancelJob(@Payload() message: CancelJobMessage): void {
    if (!isText(message?.jobId)) return;
    this.canceled.add(message.jobId);
    this.logger.log({ jobId: message.jobId }, 'cancel received');
  }

  @EventPattern(WORKER_CONTROL.preloadModel)
  async preloadModel(@Payload() message: ModelControlMessage): Promise<void> {
    if (!this.concernsMe(message) || !isText(message.modelId)) return;
    if (!this.models.isDefined(message.modelId)) {
      this.logger.warn(`preload of ${message.modelId}: this worker does not serve that model`);
      return;
    }
    await this.models.load(message.modelId).catch((error: Error) => this.logger.warn(`preload of ${message.modelId} failed: ${error.message}`));
    await this.heartbeat.beat();
  }

  @EventPattern(WORKER_CONTROL.unloadModel)
  async unloadModel(@Payload() message: ModelControlMessage): Promise<void> {
    if (!this.concernsMe(message) || !isText(message.modelId) || !this.models.isDefined(message.modelId)) return;
    if (!(await this.models.unload(message.modelId))) this.logger.warn(`unload of ${message.modelId}: in use, released when idle`);
    await this.heartbeat.beat();
  }

  @EventPattern(WORKER_CONTROL.drain)
  async drain(@Payload() message: WorkerControlMessage): Promise<void> {
    if (message?.workerId !== this.identity.id) return;
    await this.consumer.pause();
    await this.heartbeat.beat();
  }

  @EventPattern(WORKER_CONTROL.resume)
  async resume(@Payload() message: WorkerControlMessage): Promise<void> {
    if (message?.workerId !== this.identity.id) return;
    await this.consumer.resume();
    await this.heartbeat.beat();
  }

  private concernsMe(message: ModelControlMessage | undefined): message is ModelControlMessage {
    return message !== undefined && message !== null && (message.workerId === undefined || message.workerId === this.identity.id);
  }
}
