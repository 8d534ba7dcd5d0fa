import { existsSync } from 'node:fs';
import { envSchema } from './env.schema';

/** Validates the environment; the thrown message names every wrong or missing setting. */
export function validateEnv(raw: Record<string, unknown>): Record<string, unknown> {
  const { value, error } = envSchema.validate(raw, { abortEarly: false, convert: true });
  if (error) {
    const problems = error.details.map((d) => `  - ${d.message}`).join('\n');
    throw new Error(`Invalid configuration (environment or .env):\n${problems}`);
  }
  return value as Record<string, unknown>;
}

/**
 * The settings of a command-line tool that only needs the database (migrations, admin): `.env`
 * if present, then validation with a stand-in JWT_SECRET, which such tools never use.
 */
export function databaseCliEnv(): Record<string, unknown> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return validateEnv({ JWT_SECRET: 'x'.repeat(32), ...process.env });
}
