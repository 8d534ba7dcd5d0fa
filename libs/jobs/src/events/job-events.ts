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

export const EVENTS_NAMESPACE = '/events';
export const userRoom = (userId: string) => `user:${userId}`;
