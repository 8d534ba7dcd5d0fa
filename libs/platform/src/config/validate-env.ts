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
