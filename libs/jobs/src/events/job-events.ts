import type { JobError, JobOutput } from '../job.entity';

export interface NodeProgress {
  node: string;
  nodeType: string;
  nodeStep: number;
  nodeTotalSteps: number;
}

/** Socket.IO event names and payloads (API.md "Progress over Socket.IO"); owned by the jobs module. */
export interface JobEventPayloads {
  'job.queued': { jobId: string; queuePosition: number };
  'job.started': { jobId: string };
  /** `node`…: a workflow job's running node and its own step count (the job's step counts across all nodes). */
  'job.progress': { jobId: string; step: number; totalSteps: number; percent: number; previewUrl?: string } & Partial<NodeProgress>;
  /** Workflow jobs: the nodes whose results came from the cache, before any node runs. */
  'job.nodes.cached': { jobId: string; nodes: string[] };
  'job.node.started': { jobId: string; node: string; nodeType: string };
  /** An output node's UI result: `{images?: [{imageId, width, height}], <key>: [...]}`. */
  'job.node.executed': { jobId: string; node: string; nodeType: string; output: Record<string, unknown[]> };
  'job.succeeded': { jobId: string; outputs: JobOutput[] };
  'job.failed': { jobId: string; error: JobError };
  'job.canceled': { jobId: string };
}
export type JobEventName = keyof JobEventPayloads;

/** One event as server-side listeners get it: whose job, which event, its payload. */
export type OwnedJobEvent = { [E in JobEventName]: { ownerId: string; event: E; payload: JobEventPayloads[E] } }[JobEventName];

export const FINAL_EVENTS: readonly JobEventName[] = ['job.succeeded', 'job.failed', 'job.canceled'];

/** The plain Redis channel every event also goes to (see JobEventsPublisher). */
export const jobEventsChannel = (prefix: string) => `${prefix}job-events`;

export const EVENTS_NAMESPACE = '/events';
export const userRoom = (userId: string) => `user:${userId}`;
