import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** This worker process's id (its heartbeat key, the target of control messages) and start time. */
@Injectable()
export class WorkerIdentity {
  readonly id = randomUUID();
  readonly startedAt = new Date().toISOString();
}
