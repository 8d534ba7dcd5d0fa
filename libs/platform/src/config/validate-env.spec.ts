import { describe, expect, it } from 'vitest';
import { validateEnv } from './validate-env';

const SECRET = 's'.repeat(32);

describe('validateEnv', () => {
  it('applies defaults to a minimal environment', () => {
    const env = validateEnv({ JWT_SECRET: SECRET });
    expect(env).toMatchObject({ PORT: 3000, REDIS_PREFIX: 'atelier:', ORT_EXECUTION_PROVIDERS: 'cuda,cpu' });
  });

  it('names every wrong or missing setting', () => {
    expect(() => validateEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(
      /"PORT" must be a number[\s\S]*"DATABASE_URL" must be a valid uri[\s\S]*"JWT_SECRET" is required/,
    );
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() => validateEnv({ JWT_SECRET: SECRET, ADMIN_EMAIL: 'root@example.test' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('turns OpenID Connect on only with issuer, client id and secret together, naming what is missing', () => {
    expect(validateEnv({ JWT_SECRET: SECRET })).not.toHaveProperty('OIDC_ISSUER_URL');
    expect(() => validateEnv({ JWT_SECRET: SECRET, OIDC_ISSUER_URL: 'https://id.example.test' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, OIDC_ISSUER_URL: 'ftp://id', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' })).toThrow(/OIDC_ISSUER_URL/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, OIDC_SCOPES: 'email profile' })).toThrow(/OIDC_SCOPES/);
    expect(validateEnv({ JWT_SECRET: SECRET, OIDC_ISSUER_URL: 'https://id.example.test', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' })).toMatchObject({
      OIDC_SCOPES: 'openid email profile', OIDC_STATE_TTL_SECONDS: 600,
    });
  });

  it('refuses an unknown execution provider', () => {
    expect(() => validateEnv({ JWT_SECRET: SECRET, ORT_EXECUTION_PROVIDERS: 'cuda,tpu' })).toThrow(/ORT_EXECUTION_PROVIDERS/);
  });

  it('defaults the model cache and names a bad model setting', () => {
    expect(validateEnv({ JWT_SECRET: SECRET })).toMatchObject({ MODEL_CACHE_HOT_MB: 4096, MODEL_IDLE_TTL_SECONDS: 300, MODEL_PRELOAD: '' });
    expect(validateEnv({ JWT_SECRET: SECRET, MODEL_PRELOAD: 'blazeface-front,mlsd-tiny' })).toMatchObject({ MODEL_PRELOAD: 'blazeface-front,mlsd-tiny' });
    expect(() => validateEnv({ JWT_SECRET: SECRET, MODEL_PRELOAD: 'Bad Id' })).toThrow(/MODEL_PRELOAD/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, MODEL_CACHE_HOT_MB: '0' })).toThrow(/MODEL_CACHE_HOT_MB/);
  });

  it('defaults to the local blob store and refuses the S3 driver without a bucket, naming it', () => {
    expect(validateEnv({ JWT_SECRET: SECRET })).toMatchObject({ STORAGE_DRIVER: 'local', S3_FORCE_PATH_STYLE: false });
    expect(() => validateEnv({ JWT_SECRET: SECRET, STORAGE_DRIVER: 's3' })).toThrow(/"S3_BUCKET" is required/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, STORAGE_DRIVER: 'gcs' })).toThrow(/STORAGE_DRIVER/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(validateEnv({ JWT_SECRET: SECRET, STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'true' })).toMatchObject({
      S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: true, S3_REGION: 'us-east-1',
    });
  });

  it('defaults the OpenAI surface settings and names a bad one', () => {
    expect(validateEnv({ JWT_SECRET: SECRET })).toMatchObject({ OPENAI_WAIT_SECONDS: 120, PUBLIC_BASE_URL: '' });
    expect(validateEnv({ JWT_SECRET: SECRET, PUBLIC_BASE_URL: 'https://atelier.example.com/' })).toMatchObject({ PUBLIC_BASE_URL: 'https://atelier.example.com/' });
    expect(() => validateEnv({ JWT_SECRET: SECRET, OPENAI_WAIT_SECONDS: '0' })).toThrow(/OPENAI_WAIT_SECONDS/);
    expect(() => validateEnv({ JWT_SECRET: SECRET, PUBLIC_BASE_URL: 'ftp://x' })).toThrow(/PUBLIC_BASE_URL/);
  });
});
