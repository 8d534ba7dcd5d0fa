/**
 * The worker → API heartbeat contract, in Redis: each worker SETs its key with a TTL every
 * few seconds; a key that expired means a dead worker. Shared here because the API must
 * read it without importing the inference engine.
 */
export interface ModelStatus {
  id: string;
  pipeline: string;
  /** The job types the model serves (a Stable-Diffusion model: txt2img and img2img). */
  jobTypes?: string[];
  description: string;
  state: 'hot' | 'warm' | 'cold';
  provider: string | null;
  sizeBytes: number;
  loadMs?: number;
  lastUsed?: string;
  healthy: boolean;
  error?: string;
  /** Remote models: the engine (`comfyui-remote`, `openai-images`) and each upstream host as this worker sees it. */
  engine?: string;
  hosts?: UpstreamHostStatus[];
}

/** One upstream host of a remote model. */
export interface UpstreamHostStatus {
  url: string;
  /** False while ejected. */
  healthy: boolean;
  /** ISO time the ejection ends; null while it takes traffic. */
  ejectedUntil: string | null;
  /** Tries under way against it. */
  inFlight: number;
}

export interface WorkerHeartbeat {
  workerId: string;
  pid: number;
  startedAt: string;
  at: string;
  /** The job lanes (`cpu`, `gpu`) the worker takes jobs from. */
  lanes: string[];
  /** True while the worker is drained: it finishes its running jobs and takes no new ones. */
  draining: boolean;
  /** False once the worker left rotation (its own jobs kept failing); absent from older workers. */
  healthy?: boolean;
  /** Why it is unhealthy. */
  unhealthyReason?: string;
  models: ModelStatus[];
}

export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_TTL_SECONDS = 15;
export const heartbeatKey = (prefix: string, workerId: string) => `${prefix}workers:${workerId}`;
export const heartbeatPattern = (prefix: string) => `${prefix}workers:*`;
