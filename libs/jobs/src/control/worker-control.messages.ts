/**
 * The API → worker control messages (Nest microservices over Redis pub/sub; every channel is
 * prefixed with REDIS_PREFIX). Events, not requests: every worker hears each one and acts when
 * it concerns it; the sender does not wait for an answer (the heartbeat shows the effect).
 */
export const WORKER_CONTROL = {
  /** Stop this job at its next step, wherever it runs. */
  cancelJob: 'worker-control.cancel-job',
  /** Load a model hot (one worker, or every worker without `workerId`). */
  preloadModel: 'worker-control.preload-model',
  /** Release a model's session and weights (one worker, or every worker). */
  unloadModel: 'worker-control.unload-model',
  /** Stop taking new jobs; the running ones finish. */
  drain: 'worker-control.drain',
  /** Take jobs again after a drain. */
  resume: 'worker-control.resume',
} as const;

export interface CancelJobMessage {
  jobId: string;
}

export interface ModelControlMessage {
  modelId: string;
  /** Absent: every worker. */
  workerId?: string;
}

export interface WorkerControlMessage {
  workerId: string;
}
