#!/usr/bin/env node
// `npm start` (after `npm run build`): runs Atelier on this machine.
//   1. config from .env + environment + defaults (a random JWT_SECRET if none is set)
//   2. PostgreSQL: the configured one, else an embedded one under .data/postgres
//   3. Redis: the configured one, else a redis-server started on a free port
//   4. models: the model preparation CLI
//   5. the API and the worker, output prefixed [api] / [worker], until /health/live answers
// Ctrl-C / SIGTERM stops the apps first, then whatever servers this script started.
// Migrations are not run here: the API and the worker run them at start-up.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureJwtSecret, loadEnv } from './lib/env.mjs';
import { isPortFree, waitForHttpOk } from './lib/net.mjs';
import { ensurePostgres } from './lib/postgres.mjs';
import { describeExit, killNow, spawnPrefixed, stopAll } from './lib/processes.mjs';
import { ensureRedis } from './lib/redis.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const log = (message) => console.log(`[atelier] ${message}`);
const logError = (message) => console.error(`[atelier] ${String(message).replace(/\n/g, '\n[atelier] ')}`);

/** What is running, so a shutdown at any moment stops exactly that. */
const state = {
  children: [], // api, worker, models CLI: stopped first
  services: [], // { name, stop } for servers this script started: stopped last, in reverse
  inFlight: Promise.resolve(), // the start-up step under way (it may be starting a server)
  shutdown: null,
  graceMs: 10_000,
};

/** Runs a start-up step; a server it starts is registered before the step counts as done. */
function step(fn) {
  const promise = fn();
  state.inFlight = promise.catch(() => {});
  return promise;
}

function shutdown(code, reason) {
  if (state.shutdown) return state.shutdown;
  state.shutdown = (async () => {
    if (reason) (code ? logError : log)(reason);
    const running = state.children.filter((p) => p.running);
    if (running.length) log(`Stopping ${running.map((p) => p.name).join(', ')}...`);
    await stopAll(state.children, { graceMs: state.graceMs });
    await state.inFlight; // a server may be half-way up: let it finish so it can be stopped too
    for (const service of [...state.services].reverse()) {
      log(`Stopping ${service.name}...`);
      await service.stop().catch((error) => logError(`Could not stop ${service.name}: ${error.message}`));
    }
    log(code ? 'Stopped.' : 'Stopped. Bye.');
    process.exit(code);
  })();
  return state.shutdown;
}

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (++signals === 1) return void shutdown(0, `${signal} received: shutting down (press Ctrl-C again to kill the apps at once)`);
    log('Killing the app processes now');
    state.children.forEach(killNow);
  });
}
process.on('uncaughtException', (error) => void shutdown(1, `Launcher error: ${error?.stack ?? error}`));
process.on('unhandledRejection', (error) => void shutdown(1, `Launcher error: ${error?.stack ?? error}`));

const rel = (p) => path.relative(ROOT, p) || '.';
const inRoot = (p) => path.resolve(ROOT, p);

async function main() {
  const { env, envFile } = loadEnv({ root: ROOT, env: process.env, file: process.env.ATELIER_ENV_FILE });
  if (envFile) log(`Loaded ${rel(envFile)}`);
  if (ensureJwtSecret(env)) {
    log('JWT_SECRET is not set: using a random one for this run only (log-ins end when it stops; set JWT_SECRET in .env to keep them)');
  } else if (env.JWT_SECRET.length < 32) {
    throw new Error('JWT_SECRET must be at least 32 characters long (e.g. `openssl rand -hex 32`)');
  }
  state.graceMs = Number(env.ATELIER_STOP_GRACE_MS) || state.graceMs;

  // Launcher settings (environment or .env); paths are relative to the repo root.
  const entries = {
    api: inRoot(env.ATELIER_API_ENTRY || 'dist/apps/api/src/main.js'),
    worker: inRoot(env.ATELIER_WORKER_ENTRY || 'dist/apps/worker/src/main.js'),
    models: inRoot(env.ATELIER_MODELS_ENTRY || 'dist/libs/inference/src/prepare-models.cli.js'),
  };
  for (const [name, file] of Object.entries(entries)) {
    if (!fs.existsSync(file)) throw new Error(`The ${name} entry ${rel(file)} is missing: run \`npm run build\` first (or use \`npm start\`)`);
  }
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  if (!(await isPortFree(port))) throw new Error(`Port ${port} is already in use (an Atelier still running?): stop that process or set PORT`);

  const postgres = await step(async () => {
    const pg = await ensurePostgres({ databaseUrl: env.DATABASE_URL, embeddedDir: inRoot(env.ATELIER_PG_DIR || '.data/postgres'), log });
    if (pg.kind === 'embedded') state.services.push({ name: 'embedded PostgreSQL', stop: pg.stop });
    return pg;
  });
  if (state.shutdown) return;
  env.DATABASE_URL = postgres.url;
  log(`PostgreSQL: ${postgres.description}`);

  const redis = await step(async () => {
    const r = await ensureRedis({ redisUrl: env.REDIS_URL, redisServer: env.ATELIER_REDIS_SERVER || 'redis-server', log });
    if (r.kind === 'started') state.services.push({ name: 'redis-server', stop: r.stop });
    return r;
  });
  if (state.shutdown) return;
  env.REDIS_URL = redis.url;
  log(`Redis: ${redis.description}`);

  const run = (name, file) => {
    const proc = spawnPrefixed({ name, command: process.execPath, args: [file], env, cwd: ROOT });
    state.children.push(proc);
    return proc;
  };

  log(`Preparing models in ${env.MODELS_DIR}`);
  const models = run('models', entries.models);
  const modelsExit = await step(() => models.exited);
  if (state.shutdown) return;
  if (modelsExit.code !== 0) {
    const tail = models.tail(5);
    throw new Error(`Model preparation failed (${describeExit(modelsExit)})${tail ? `:\n${tail}` : ''}`);
  }

  const apps = [run('api', entries.api), run('worker', entries.worker)];
  for (const app of apps) {
    void app.exited.then((exit) => {
      if (!state.shutdown) shutdown(1, `The ${app.name} stopped on its own (${describeExit(exit)}): stopping everything`);
    });
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = Number(env.ATELIER_READY_TIMEOUT_MS) || 90_000;
  await waitForHttpOk(`${baseUrl}/health/live`, {
    timeoutMs: readyTimeoutMs,
    abort: () => (state.shutdown ? 'shutting down' : null),
  }).catch((error) => {
    if (state.shutdown) return;
    throw new Error(`The API did not become ready: ${error.message}`);
  });
  if (state.shutdown) return;

  log('');
  log('Atelier is running');
  log(`  API:       ${baseUrl}`);
  log(`  API docs:  ${baseUrl}/docs`);
  log(`  Postgres:  ${postgres.description}`);
  log(`  Redis:     ${redis.description}`);
  log('Press Ctrl-C to stop.');
  log('');
}

main().catch((error) => shutdown(1, error?.message ?? String(error)));
