import { errorCatalog } from '@atelier/platform';

/**
 * The jobs module's error codes. Codes a job ends with (`error.code` of a failed job) are here
 * too, with the kind they would have as an answer.
 */
export const jobErrors = errorCatalog({
  BAD_REQUEST: 'bad_request',
  INVALID_JOB: 'invalid',
  INVALID_IDEMPOTENCY_KEY: 'bad_request',
  IDEMPOTENCY_KEY_REUSED: 'conflict',
  IMAGE_NOT_FOUND: 'invalid',
  PIXELS_OVER_PLAN: 'invalid',
  BATCH_OVER_PLAN: 'invalid',
  BLOCKED_WORDS: 'invalid',
  PROMPT_TOO_LONG: 'invalid',
  WEBHOOK_URL_FORBIDDEN: 'invalid',
  CONCURRENCY_LIMIT: 'rate_limited',
  QUEUE_UNAVAILABLE: 'unavailable',
  CONTROL_UNAVAILABLE: 'unavailable',
  JOB_NOT_FOUND: 'not_found',
  JOB_FINISHED: 'conflict',
  JOB_TYPE_NOT_AVAILABLE: 'unavailable',
  /** An attempt ran past its time limit and was stopped: retried while the job's deadline allows. */
  JOB_TIMEOUT: 'unavailable',
});

/** Codes Bull's own give-up reasons map to; they are never thrown, only stored on the failed job. */
export const JOB_END_CODES = ['JOB_FAILED', 'JOB_STALLED', 'JOB_TIMEOUT'] as const;
