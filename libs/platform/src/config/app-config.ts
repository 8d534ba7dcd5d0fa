import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/** The S3 driver's settings (read only when STORAGE_DRIVER=s3; the bucket is required then). */
export interface S3Settings {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/** OpenID Connect sign-in (null when OIDC_ISSUER_URL and the client are not set). */
export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  providerName: string;
  scopes: string;
  stateTtlSeconds: number;
}

/** Typed, read-only view of the validated environment. */
@Injectable()
export class AppConfig {
  constructor(private readonly config: ConfigService) {}

  private get<T>(key: string): T {
    return this.config.getOrThrow<T>(key);
  }

  /** A string setting by name, for code that learns which setting it needs from data (e.g. a job type's default model). */
  setting(key: string): string {
    return String(this.get(key));
  }

  get port(): number { return Number(this.get('PORT')); }
  get databaseUrl(): string { return this.get('DATABASE_URL'); }
  get redisUrl(): string { return this.get('REDIS_URL'); }
  get redisPrefix(): string { return this.get('REDIS_PREFIX'); }
  get storageDir(): string { return this.get('STORAGE_DIR'); }
  get storageDriver(): 'local' | 's3' { return this.get('STORAGE_DRIVER'); }
  get s3(): S3Settings {
    const optional = (key: string) => this.config.get<string>(key) || undefined;
    return {
      endpoint: optional('S3_ENDPOINT'),
      bucket: this.get('S3_BUCKET'),
      region: this.get('S3_REGION'),
      accessKeyId: optional('S3_ACCESS_KEY_ID'),
      secretAccessKey: optional('S3_SECRET_ACCESS_KEY'),
      forcePathStyle: [true, 'true'].includes(this.get<boolean | string>('S3_FORCE_PATH_STYLE')),
    };
  }
  get modelsDir(): string { return this.get('MODELS_DIR'); }
  get modelManifestsDir(): string { return this.get('MODEL_MANIFESTS_DIR'); }
  get jwtSecret(): string { return this.get('JWT_SECRET'); }
  get jwtAccessTtlSeconds(): number { return Number(this.get('JWT_ACCESS_TTL_SECONDS')); }
  get loginMaxFailuresPerEmail(): number { return Number(this.get('LOGIN_MAX_FAILURES_PER_EMAIL')); }
  get loginMaxFailuresPerIp(): number { return Number(this.get('LOGIN_MAX_FAILURES_PER_IP')); }
  get loginFailureWindowSeconds(): number { return Number(this.get('LOGIN_FAILURE_WINDOW_SECONDS')); }
  get oidc(): OidcSettings | null {
    const issuerUrl = this.config.get<string>('OIDC_ISSUER_URL');
    if (!issuerUrl) return null;
    return {
      issuerUrl,
      clientId: this.get('OIDC_CLIENT_ID'),
      clientSecret: this.get('OIDC_CLIENT_SECRET'),
      providerName: this.get('OIDC_PROVIDER_NAME'),
      scopes: this.get('OIDC_SCOPES'),
      stateTtlSeconds: Number(this.get('OIDC_STATE_TTL_SECONDS')),
    };
  }
  get socketMaxConnectionsPerUser(): number { return Number(this.get('SOCKET_MAX_CONNECTIONS_PER_USER')); }
  get socketMaxMessageBytes(): number { return Number(this.get('SOCKET_MAX_MESSAGE_BYTES')); }
  get apiRequestsPerMinute(): number { return Number(this.get('API_REQUESTS_PER_MINUTE')); }
  get corsOrigins(): string[] { return this.get<string>('CORS_ORIGINS').split(',').map((o) => o.trim()).filter(Boolean); }
  get adminEmail(): string | undefined { return this.config.get<string>('ADMIN_EMAIL'); }
  get adminPassword(): string | undefined { return this.config.get<string>('ADMIN_PASSWORD'); }
  get logLevel(): string { return this.get('LOG_LEVEL'); }
  get signedUrlTtlSeconds(): number { return Number(this.get('SIGNED_URL_TTL_SECONDS')); }
  /** Without a trailing slash; empty when unset. */
  get publicBaseUrl(): string { return this.get<string>('PUBLIC_BASE_URL').replace(/\/+$/, ''); }
  /** Without a trailing slash; empty when unset. */
  get publicImageBaseUrl(): string { return this.get<string>('PUBLIC_IMAGE_BASE_URL').replace(/\/+$/, ''); }
  get openaiWaitMs(): number { return Number(this.get('OPENAI_WAIT_SECONDS')) * 1000; }
  get promptBlocklist(): string[] { return this.get<string>('PROMPT_BLOCKLIST').split(',').map((w) => w.trim()).filter(Boolean); }
  get uploadMaxBytes(): number { return Number(this.get('UPLOAD_MAX_BYTES')); }
  get uploadMaxPixels(): number { return Number(this.get('UPLOAD_MAX_PIXELS')); }
  get queueLockDurationMs(): number { return Number(this.get('QUEUE_LOCK_DURATION_MS')); }
  get queueAgingSeconds(): number { return Number(this.get('QUEUE_AGING_SECONDS')); }
  get jobAttemptTimeoutCapMs(): number { return Number(this.get('JOB_ATTEMPT_TIMEOUT_CAP_MS')); }
  get jobDeadlineCapMs(): number { return Number(this.get('JOB_DEADLINE_CAP_MS')); }
  get resultCacheCost(): number { return Number(this.get('RESULT_CACHE_COST')); }
  get queueReconcileSeconds(): number { return Number(this.get('QUEUE_RECONCILE_SECONDS')); }
  get imageRetentionDays(): number { return Number(this.get('IMAGE_RETENTION_DAYS')); }
  get jobRetentionDays(): number { return Number(this.get('JOB_RETENTION_DAYS')); }
  get monthlyGrantsIntervalMs(): number { return Number(this.get('MONTHLY_GRANTS_INTERVAL_SECONDS')) * 1000; }
  get jobRetentionIntervalMs(): number { return Number(this.get('JOB_RETENTION_INTERVAL_SECONDS')) * 1000; }
  get imagePurgeIntervalMs(): number { return Number(this.get('IMAGE_PURGE_INTERVAL_SECONDS')) * 1000; }
  get workerMetricsPort(): number { return Number(this.get('WORKER_METRICS_PORT')); }
  get workerCpuConcurrency(): number { return Number(this.get('WORKER_CPU_CONCURRENCY')); }
  get workerGpuConcurrency(): number { return Number(this.get('WORKER_GPU_CONCURRENCY')); }
  get workerUnhealthyAfterFailures(): number { return Number(this.get('WORKER_UNHEALTHY_AFTER_FAILURES')); }
  get workerLightConcurrency(): number { return Number(this.get('WORKER_LIGHT_CONCURRENCY')); }
  get defaultTxt2ImgModel(): string { return this.get('DEFAULT_TXT2IMG_MODEL'); }
  get defaultImg2ImgModel(): string { return this.get('DEFAULT_IMG2IMG_MODEL'); }
  get generationMaxBatch(): number { return Number(this.get('GENERATION_MAX_BATCH')); }
  get generationBatchWaitMs(): number { return Number(this.get('GENERATION_BATCH_WAIT_MS')); }
  get workflowCacheMb(): number { return Number(this.get('WORKFLOW_CACHE_MB')); }
  get upscaleModel(): string { return this.get('UPSCALE_MODEL'); }
  get upscaleTileSize(): number { return Number(this.get('UPSCALE_TILE_SIZE')); }
  get modelCache(): { hotBytes: number; warmBytes: number; idleTtlMs: number; preload: string[]; failureCooldownMs: number } {
    return {
      hotBytes: Number(this.get('MODEL_CACHE_HOT_MB')) * 1024 ** 2,
      warmBytes: Number(this.get('MODEL_CACHE_WARM_MB')) * 1024 ** 2,
      idleTtlMs: Number(this.get('MODEL_IDLE_TTL_SECONDS')) * 1000,
      preload: this.get<string>('MODEL_PRELOAD').split(',').filter(Boolean),
      failureCooldownMs: Number(this.get('MODEL_FAILURE_COOLDOWN_SECONDS')) * 1000,
    };
  }
  get sessionTuning(): { intraOpThreads: number; allowSpinning: boolean } {
    return { intraOpThreads: Number(this.get('ORT_INTRA_OP_THREADS')), allowSpinning: this.get<boolean>('ORT_ALLOW_SPINNING') };
  }
  get executionProviders(): string[] { return this.get<string>('ORT_EXECUTION_PROVIDERS').split(','); }
  get webhookRetryBaseMs(): number { return Number(this.get('WEBHOOK_RETRY_BASE_MS')); }
  get webhookTimeoutMs(): number { return Number(this.get('WEBHOOK_TIMEOUT_MS')); }
  get webhookAllowHosts(): string[] {
    return this.get<string>('WEBHOOK_ALLOW_HOSTS').split(',').map((h) => h.trim()).filter(Boolean);
  }
}
