import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS, applyDefaults, ensureJwtSecret, loadEnv, parseDotenv } from './lib/env.mjs';
import { isLocalHost, redactUrl } from './lib/net.mjs';

describe('parseDotenv', () => {
  it('reads KEY=VALUE lines, comments, export, quotes and escapes', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'SPACED = padded value   ',
      'export EXPORTED=yes',
      'INLINE=abc # trailing comment',
      'HASH_IN_VALUE=abc#def',
      "SINGLE='literal $x \\n # not a comment'",
      'DOUBLE="line1\\nline2 \\"quoted\\" # kept"',
      'EMPTY=',
      'URL=postgres://user:p%40ss@127.0.0.1:5432/db?sslmode=disable',
      'EQUALS=a=b=c',
      'MULTI="first',
      'second"',
      'not an assignment',
      '1BAD=ignored',
    ].join('\r\n');
    expect(parseDotenv(text)).toEqual({
      PLAIN: 'value',
      SPACED: 'padded value',
      EXPORTED: 'yes',
      INLINE: 'abc',
      HASH_IN_VALUE: 'abc#def',
      SINGLE: 'literal $x \\n # not a comment',
      DOUBLE: 'line1\nline2 "quoted" # kept',
      EMPTY: '',
      URL: 'postgres://user:p%40ss@127.0.0.1:5432/db?sslmode=disable',
      EQUALS: 'a=b=c',
      MULTI: 'first\nsecond',
    });
  });

  it('keeps the last of repeated keys and tolerates a BOM and an unclosed quote', () => {
    expect(parseDotenv('\uFEFFA=1\nA=2\nB="open')).toEqual({ A: '2', B: '"open' });
  });
});

describe('loadEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('merges .env under the environment, then applies the defaults', () => {
    writeFileSync(join(dir, '.env'), 'PORT=4000\nREDIS_PREFIX=file:\nADMIN_EMAIL=a@example.com\nSTORAGE_DIR=\n');
    const { env, envFile } = loadEnv({ root: dir, env: { PORT: '5000', OTHER: 'x' } });
    expect(envFile).toBe(join(dir, '.env'));
    expect(env.PORT).toBe('5000'); // the environment wins
    expect(env.REDIS_PREFIX).toBe('file:');
    expect(env.ADMIN_EMAIL).toBe('a@example.com');
    expect(env.OTHER).toBe('x');
    expect(env.STORAGE_DIR).toBe(DEFAULTS.STORAGE_DIR); // empty counts as unset
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/atelier');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.MODELS_DIR).toBe('.data/models');
  });

  it('works without a .env file and does not touch the given environment', () => {
    const given = { DATABASE_URL: 'postgres://elsewhere/db' };
    const { env, envFile } = loadEnv({ root: dir, env: given, file: 'missing.env' });
    expect(envFile).toBeNull();
    expect(env.DATABASE_URL).toBe('postgres://elsewhere/db');
    expect(env.PORT).toBe('3000');
    expect(given).toEqual({ DATABASE_URL: 'postgres://elsewhere/db' });
  });

  it('generates a JWT secret only when none is set', () => {
    const env = applyDefaults({});
    expect(ensureJwtSecret(env)).toBe(true);
    expect(env.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    const kept = { JWT_SECRET: 'k'.repeat(40) };
    expect(ensureJwtSecret(kept)).toBe(false);
    expect(kept.JWT_SECRET).toBe('k'.repeat(40));
  });
});

describe('URL helpers', () => {
  it('hides passwords', () => {
    expect(redactUrl('postgres://postgres:s3cret@127.0.0.1:5432/atelier')).toBe('postgres://postgres:***@127.0.0.1:5432/atelier');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url')).toBe('<invalid URL>');
  });

  it('knows which hosts are this machine', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) expect(isLocalHost(host)).toBe(true);
    for (const host of ['db', 'example.com', '10.0.0.5']) expect(isLocalHost(host)).toBe(false);
  });
});
