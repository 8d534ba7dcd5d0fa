import { Inject, Injectable } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, timeout } from 'rxjs';
import { WORKER_CONTROL, type CancelJobMessage, type ModelControlMessage, type WorkerControlMessage } from './worker-control.messages';
import { jobErrors } from '../job-errors';

export const WORKER_CONTROL_CLIENT = Symbol('WORKER_CONTROL_CLIENT');

/** A send that Redis does not take within this long fails (503): callers never hang on a Redis that is down. */
const SEND_TIMEOUT_MS = 2000;

/** The API side of the control messages: cancel a running job, preload or unload a model, drain or resume a worker. */
@Injectable()
export class WorkerControl {
  constructor(@Inject(WORKER_CONTROL_CLIENT) private readonly client: ClientProxy) {}

  cancelJob(jobId: string): Promise<void> {
    return this.send(WORKER_CONTROL.cancelJob, { jobId } satisfies CancelJobMessage);
  }

  preloadModel(modelId: string, workerId?: string): Promise<void> {
    return this.send(WORKER_CONTROL.preloadModel, { modelId, ...(workerId ? { workerId } : {}) } satisfies ModelControlMessage);
  }

  unloadModel(modelId: string, workerId?: string): Promise<void> {
    return this.send(WORKER_CONTROL.unloadModel, { modelId, ...(workerId ? { workerId } : {}) } satisfies ModelControlMessage);
  }

  drain(workerId: string): Promise<void> {
    return this.send(WORKER_CONTROL.drain, { workerId } satisfies WorkerControlMessage);
  }

  resume(workerId: string): Promise<void> {
    return this.send(WORKER_CONTROL.resume, { workerId } satisfies WorkerControlMessage);
  }

  private async send(pattern: string, message: object): Promise<void> {
    try {
      await lastValueFrom(this.client.emit(pattern, message).pipe(timeout(SEND_TIMEOUT_MS)), { defaultValue: undefined });
    } catch {
      throw jobErrors('CONTROL_UNAVAILABLE', 'Workers cannot be reached right now (Redis is unavailable); try again shortly');
    }
  }
}
