import Joi from 'joi';

/**
 * Every setting either process reads. Validated once at start-up: a wrong or missing
 * value stops the process with a message that names the setting.
 */
export const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  PORT: Joi.number().port().default(3000),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .default('postgres://postgres@127.0.0.1:5432/atelier'),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9:_-]+$/)
    .default('atelier:'),
  STORAGE_DIR: Joi.string().default('.data/storage'),
  /** Where blobs live: `local` (STORAGE_DIR) or `s3` (any S3-compatible store, shared across machines). */
  STORAGE_DRIVER: Joi.string().valid('local', 's3').default('local'),
  /** Empty = AWS itself; set it for MinIO, R2, Ceph and the like. */
  S3_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }).allow('').default(''),
  S3_BUCKET: Joi.string().when('STORAGE_DRIVER', { is: 's3', then: Joi.required(), otherwise: Joi.optional() }),
  S3_REGION: Joi.string().default('us-east-1'),
  /** Both or neither; neither = the SDK's default chain (AWS_* variables, instance role). */
  S3_ACCESS_KEY_ID: Joi.string().optional(),
  S3_SECRET_ACCESS_KEY: Joi.string().optional(),
  /** `true` for most self-hosted S3-compatible servers (bucket in the path, not the host name). */
  S3_FORCE_PATH_STYLE: Joi.boolean().default(false),
  MODELS_DIR: Joi.string().default('.data/models'),
  MODEL_MANIFESTS_DIR: Joi.string().default('models'),
  JWT_SECRET: Joi.string().min(32).required(),
  JWT_ACCESS_TTL_SECONDS: Joi.number().integer().min(30).default(900),
  LOGIN_MAX_FAILURES_PER_EMAIL: Joi.number().integer().min(1).default(10),
  LOGIN_MAX_FAILURES_PER_IP: Joi.number().integer().min(1).default(50),
  LOGIN_FAILURE_WINDOW_SECONDS: Joi.number().integer().min(1).default(900),
  /** OpenID Connect sign-in: all three or none (none = off). The provider must list `<public address>/v1/auth/oidc/callback` as a redirect URI. */
  OIDC_ISSUER_URL: Joi.string().uri({ scheme: ['http', 'https'] }).optional(),
  OIDC_CLIENT_ID: Joi.string().max(500).optional(),
  OIDC_CLIENT_SECRET: Joi.string().max(500).optional(),
  /** The provider's name on the playground's "Sign in with …" button. */
  OIDC_PROVIDER_NAME: Joi.string().max(60).default('single sign-on'),
  OIDC_SCOPES: Joi.string().pattern(/^openid( [\x21-\x7e]+)*$/).default('openid email profile'),
  /** How long a started sign-in may take before its state expires. */
  OIDC_STATE_TTL_SECONDS: Joi.number().integer().min(30).max(3600).default(600),
  /** Requests a minute per user (per client address on public routes), all routes together; past it, 429 with Retry-After. */
  API_REQUESTS_PER_MINUTE: Joi.number().integer().min(1).default(1200),
  /** Socket.IO `/events` connections one user may hold on one API instance; past it the handshake is refused. */
  SOCKET_MAX_CONNECTIONS_PER_USER: Joi.number().integer().min(1).max(10_000).default(20),
  /** The largest Socket.IO message a client may send; a bigger one closes its connection. */
  SOCKET_MAX_MESSAGE_BYTES: Joi.number().integer().min(1024).max(10 * 1024 * 1024).default(64 * 1024),
  /** Browser origins allowed to call the API (comma-separated); empty = same origin only. */
  CORS_ORIGINS: Joi.string().allow('').default(''),
  ADMIN_EMAIL: Joi.string().email({ tlds: { allow: false } }).optional(),
  ADMIN_PASSWORD: Joi.string().min(10).optional(),
  WEBHOOK_ALLOW_HOSTS: Joi.string().allow('').default(''),
  /** First retry delay of a failed webhook; doubling over 6 tries gives about an hour. */
  WEBHOOK_RETRY_BASE_MS: Joi.number().integer().min(10).default(60_000),
  WEBHOOK_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  /** The window of signed image URLs (job outputs, gallery): one URL per window, valid one to two windows. */
  SIGNED_URL_TTL_SECONDS: Joi.number().integer().min(10).default(3600),
  /** Where signed image URLs point (a CDN in front of the API, e.g. `https://img.example.com`); empty = relative to the API. */
  PUBLIC_IMAGE_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }).allow('').default(''),
  /** The API's public address (e.g. `https://atelier.example.com`) for absolute links such as OpenAI `url` results; empty = from the request's Host. */
  PUBLIC_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }).allow('').default(''),
  /** How long the OpenAI Images surface waits for its job before answering 504 JOB_WAIT_TIMEOUT (the job goes on); keep it under the clients' timeout. */
  OPENAI_WAIT_SECONDS: Joi.number().integer().min(1).max(600).default(120),
  /** Words refused in rendered prompts (comma-separated). */
  PROMPT_BLOCKLIST: Joi.string().allow('').default(''),
  UPLOAD_MAX_BYTES: Joi.number().integer().min(1024).default(20 * 1024 * 1024),
  UPLOAD_MAX_PIXELS: Joi.number().integer().min(64).default(50_000_000),
  /** How long a worker's lock on a job lasts; a killed worker's job is re-run after about this long. */
  QUEUE_LOCK_DURATION_MS: Joi.number().integer().min(1000).default(30_000),
  /** A job waiting longer than this is promoted to the front priority (no starvation). */
  QUEUE_AGING_SECONDS: Joi.number().integer().min(1).default(120),
  /** Unfinished jobs older than this that Bull lost (Redis restarted) are re-enqueued. */
  QUEUE_RECONCILE_SECONDS: Joi.number().integer().min(1).default(30),
  /** Caps over every job type's own time limits (0: none): one attempt, and all attempts of a job from its first start. */
  JOB_ATTEMPT_TIMEOUT_CAP_MS: Joi.number().integer().min(0).default(0),
  JOB_DEADLINE_CAP_MS: Joi.number().integer().min(0).default(0),
  /** What a job answered by the result cache (an identical deterministic job of the user already succeeded) costs. */
  RESULT_CACHE_COST: Joi.number().integer().min(0).default(0),
  /** Soft-deleted images are purged (rows, then unreferenced blobs) after this many days. */
  IMAGE_RETENTION_DAYS: Joi.number().integer().min(0).default(30),
  JOB_RETENTION_DAYS: Joi.number().integer().min(1).default(30),
  /** How often the API's housekeeping runs: monthly credit grants, job retention, image purge (each safe on several instances). */
  MONTHLY_GRANTS_INTERVAL_SECONDS: Joi.number().integer().min(1).default(3600),
  JOB_RETENTION_INTERVAL_SECONDS: Joi.number().integer().min(1).default(3600),
  IMAGE_PURGE_INTERVAL_SECONDS: Joi.number().integer().min(1).default(3600),
  /** The worker's Prometheus port; 0 turns it off. */
  WORKER_METRICS_PORT: Joi.number().port().default(9464),
  WORKER_CPU_CONCURRENCY: Joi.number().integer().min(1).max(64).default(2),
  WORKER_GPU_CONCURRENCY: Joi.number().integer().min(1).max(16).default(1),
  /** A worker whose last this-many attempts in a row failed by its own fault stops taking jobs and fails its liveness probe (0: never). */
  WORKER_UNHEALTHY_AFTER_FAILURES: Joi.number().integer().min(0).default(5),
  /** Slots reserved for light GPU work (face, line and text detection), beside the generation slots. */
  WORKER_LIGHT_CONCURRENCY: Joi.number().integer().min(1).max(16).default(1),
  /** The model a txt2img / img2img job without `model` gets. */
  DEFAULT_TXT2IMG_MODEL: Joi.string().default('pattern-cppn'),
  DEFAULT_IMG2IMG_MODEL: Joi.string().default('tiny-sd'),
  /** Dynamic batching of generation jobs: most images per model run, and the longest wait for company. */
  GENERATION_MAX_BATCH: Joi.number().integer().min(1).max(64).default(8),
  GENERATION_BATCH_WAIT_MS: Joi.number().integer().min(0).max(5000).default(20),
  /** The super-resolution model for `upscale` jobs (a manifest with pipeline upscale); empty = Lanczos. */
  UPSCALE_MODEL: Joi.string().allow('').default(''),
  UPSCALE_TILE_SIZE: Joi.number().integer().min(16).max(2048).default(192),
  /** Workflow node results kept per worker for resubmitted graphs (ComfyUI's cache), in MB. */
  WORKFLOW_CACHE_MB: Joi.number().integer().min(0).default(256),
  /** Model cache (worker): hot budget (sessions, VRAM on CUDA), warm budget (weights in RAM), idle TTL per tier step. */
  MODEL_CACHE_HOT_MB: Joi.number().integer().min(1).default(4096),
  MODEL_CACHE_WARM_MB: Joi.number().integer().min(0).default(1024),
  MODEL_IDLE_TTL_SECONDS: Joi.number().integer().min(1).default(300),
  /** Comma-separated model ids loaded when the worker starts. */
  MODEL_PRELOAD: Joi.string().allow('').pattern(/^[a-z0-9][a-z0-9._-]*(,[a-z0-9][a-z0-9._-]*)*$/).default(''),
  /** After a model fails to load, its jobs fail fast with MODEL_UNAVAILABLE this long before it is tried again. */
  MODEL_FAILURE_COOLDOWN_SECONDS: Joi.number().integer().min(1).default(30),
  /** onnxruntime threads per operator (0 = one per core) and whether idle threads spin between runs. */
  ORT_INTRA_OP_THREADS: Joi.number().integer().min(0).max(256).default(0),
  ORT_ALLOW_SPINNING: Joi.boolean().default(false),
  ORT_EXECUTION_PROVIDERS: Joi.string()
    .pattern(/^(cuda|cpu)(,(cuda|cpu))*$/)
    .default('cuda,cpu'),
})
  .and('ADMIN_EMAIL', 'ADMIN_PASSWORD')
  .and('S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY')
  .and('OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET')
  .unknown(true);
