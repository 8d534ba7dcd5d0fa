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

  it('refuses an unknown execution provider', () => {
    expect(() => validateEnv({ JWT_SECRET: SECRET, ORT_EXECUTION_PROVIDERS: 'cuda,tpu' })).toThrow(/ORT_EXECUTION_PROVIDERS/);
  });
});
