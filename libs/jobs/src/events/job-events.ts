import type { JobError, JobOutput } from '../job.entity';

/** Socket.IO event names and payloads (API.md "Progress over Socket.IO"); owned by the jobs module. */
export interface JobEventPayloads {
  'job.queued': { jobId: string; queuePosition: number };
  'job.started': { jobId: string };
  'job.progress': { jobId: string; step: number; totalSteps: number; percent: number; previewUrl?: string };
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
