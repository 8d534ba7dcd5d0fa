/** The public shapes of the Atelier API (see docs/API.md), for client code. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export type JobOutput = { imageId: string; url: string; width: number; height: number } | { kind: 'json'; data: unknown };

export interface Job {
  id: string;
  type: string;
  model: string | null;
  status: JobStatus;
  progress: { step: number; totalSteps: number; percent: number };
  queuePosition?: number;
  outputs: JobOutput[];
  error?: { code: string; message: string };
  cost: number;
  attempts: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface Image {
  id: string;
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'webp';
  bytes: number;
  sha256: string;
  createdAt: string;
}

export interface User {
  id: string;
  email: string;
  role: 'user' | 'admin';
  plan: string;
  createdAt: string;
}

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
}

export interface JobRequest {
  type: string;
  model?: string;
  input: Record<string, unknown>;
  webhookUrl?: string;
}

export interface ProgressEvent {
  jobId: string;
  step: number;
  totalSteps: number;
  percent: number;
  previewUrl?: string;
}

/** Every non-2xx answer, with the API's error code. */
export class AtelierError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AtelierError';
  }
}
