// Configuration for the launcher and the processes it starts: `.env` + environment + defaults.
// A tiny parser on purpose: the launcher must run before (and without) any extra dependency.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Defaults shared with the apps' own config schema (libs/platform/src/config/env.schema.ts). */
export const DEFAULTS = Object.freeze({
  PORT: '3000',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/atelier',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_PREFIX: 'atelier:',
  STORAGE_DIR: '.data/storage',
  MODELS_DIR: '.data/models',
});

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Parses `.env` text: `KEY=VALUE` lines, optional `export `, `#` comments (whole line, or after
 * whitespace in an unquoted value), values in single quotes (literal) or double quotes
 * (`\n`, `\t`, `\"`, `\\` escapes; may span lines). Lines that are not assignments are ignored.
 */
export function parseDotenv(text) {
  const out = {};
  const src = String(text).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let i = 0;
  while (i < src.length) {
    let end = src.indexOf('\n', i);
    if (end === -1) end = src.length;
    const line = src.slice(i, end);
    i = end + 1;
    const m = /^\s*(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!m || !KEY.test(m[1])) continue;
    const key = m[1];
    let rest = m[2];
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may continue over the following lines until its closing quote.
      let body = rest.slice(1);
      let close = findClosingQuote(body, quote);
      while (close === -1 && i < src.length) {
        let next = src.indexOf('\n', i);
        if (next === -1) next = src.length;
        body += '\n' + src.slice(i, next);
        i = next + 1;
        close = findClosingQuote(body, quote);
      }
      if (close === -1) {
        out[key] = rest.trim(); // unbalanced quote: keep the raw text rather than guess
        continue;
      }
      const raw = body.slice(0, close);
      out[key] = quote === '"' ? raw.replace(/\\([nrt"\\])/g, (_, c) => ESCAPES[c]) : raw;
    } else {
      const hash = rest.search(/(^|\s)#/);
      if (hash !== -1) rest = rest.slice(0, hash);
      out[key] = rest.trim();
    }
  }
  return out;
}

function findClosingQuote(body, quote) {
  for (let j = 0; j < body.length; j++) {
    if (quote === '"' && body[j] === '\\') {
      j++;
      continue;
    }
    if (body[j] === quote) return j;
  }
  return -1;
}

/**
 * The environment for this run: `.env` values (if the file exists), overridden by the real
 * environment, then the defaults for whatever is still unset or empty.
 * Returns a new object; `process.env` is not modified.
 */
export function loadEnv({ root = process.cwd(), env = process.env, file } = {}) {
  const envFile = resolve(root, file || '.env');
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile, 'utf8')) : null;
  const merged = { ...(fromFile ?? {}) };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  applyDefaults(merged);
  return { env: merged, envFile: fromFile ? envFile : null };
}

/** Fills in DEFAULTS for keys that are unset or empty (in place). */
export function applyDefaults(env) {
  for (const [key, value] of Object.entries(DEFAULTS)) if (!env[key]) env[key] = value;
  return env;
}

/**
 * Dev convenience: without JWT_SECRET the apps refuse to start, so a local run gets a random
 * one (tokens then stop working at the next start). Returns true when it generated one.
 */
export function ensureJwtSecret(env) {
  if (env.JWT_SECRET) return false;
  env.JWT_SECRET = randomBytes(32).toString('hex');
  return true;
}
