// ensureRedis: use the configured Redis when it answers PING, otherwise start a throwaway
// redis-server (no persistence) on a free local port.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort, isLocalHost, redactUrl, sleep } from './net.mjs';

/**
 * One PING, no retries. status: 'ok' | 'refused' (the server answered with an error, e.g.
 * NOAUTH) | 'unreachable'.
 */
export async function pingRedis(url, { timeoutMs = 2_000 } = {}) {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null, // one attempt: the launcher decides what to do next
  });
  // connect() only says "Connection is closed."; the cause (ECONNREFUSED...) comes as an event.
  let cause;
  client.on('error', (error) => (cause ??= error));
  try {
    await client.connect();
    const reply = await client.ping();
    return reply === 'PONG' ? { status: 'ok' } : { status: 'refused', error: new Error(`PING answered ${reply}`) };
  } catch (error) {
    if (error?.name === 'ReplyError') return { status: 'refused', error };
    return { status: 'unreachable', error: cause ?? error };
  } finally {
    client.disconnect();
  }
}

/** Full path of an executable found on PATH (or the path itself if it contains a slash), else null. */
export function findExecutable(command, pathEnv = process.env.PATH ?? '') {
  const candidates = command.includes('/') ? [command] : pathEnv.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return path.resolve(file);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Makes a Redis available for `redisUrl` and returns
 * { url, kind: 'external' | 'started', description, stop() }.
 * A redis-server is started only when the URL's host is this machine and nothing answers there.
 */
export async function ensureRedis({ redisUrl, redisServer = 'redis-server', log = () => {}, timeoutMs = 2_000 }) {
  let url;
  try {
    url = new URL(redisUrl);
  } catch {
    throw new Error(`REDIS_URL is not a valid URL (${redactUrl(redisUrl)}); expected e.g. redis://127.0.0.1:6379`);
  }
  const shown = redactUrl(redisUrl);
  const probe = await pingRedis(redisUrl, { timeoutMs });
  if (probe.status === 'ok') return { url: redisUrl, kind: 'external', description: `external, ${shown}`, stop: async () => {} };
  if (probe.status === 'refused') {
    throw new Error(`Redis at ${shown} answered with an error: ${probe.error?.message}. Fix the password or database in REDIS_URL.`);
  }
  const reason = probe.error?.code ?? probe.error?.message ?? 'unknown error';
  if (!isLocalHost(url.hostname)) {
    throw new Error(`Cannot reach Redis at ${shown} (${reason}). Start that server or point REDIS_URL at a reachable one.`);
  }
  const bin = findExecutable(redisServer);
  if (!bin) {
    throw new Error(
      `No Redis is reachable at ${shown} (${reason}), and \`${redisServer}\` is not on the PATH to start one.\n` +
        'To fix: install Redis (Debian/Ubuntu: `sudo apt-get install redis-server`), ' +
        'or set REDIS_URL (environment or .env) to a server you can reach.',
    );
  }
  log(`No Redis at ${shown} (${reason}): starting ${bin}`);
  const server = await startRedisServer({ bin, log });
  // Keep the database number of the original URL (redis://host:port/2).
  const started = /^\/\d+$/.test(url.pathname) ? `${server.url}${url.pathname}` : server.url;
  return { url: started, kind: 'started', description: `redis-server started by the launcher (pid ${server.pid}), ${started}`, stop: server.stop, server };
}

/**
 * Starts `redis-server` on a free 127.0.0.1 port, without persistence, in its own process group,
 * and waits until it answers PING. Returns { url, port, pid, stop() }.
 */
export async function startRedisServer({ bin = 'redis-server', port: wanted, log = () => {}, readyTimeoutMs = 10_000 } = {}) {
  for (let attempt = 1; ; attempt++) {
    const port = wanted ?? (await findFreePort());
    try {
      return await launch(bin, port, readyTimeoutMs);
    } catch (error) {
      if (wanted || attempt >= 3 || !/Address already in use/i.test(error.message)) throw error;
      log(`Port ${port} was taken meanwhile; trying another`);
    }
  }
}

async function launch(bin, port, readyTimeoutMs) {
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32', // so a Ctrl-C reaches the launcher only; it stops Redis last
  });
  // Keep reading its output (a full pipe would block it); remember the end for error messages.
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve((exit = { code, signal })));
    child.once('error', (error) => resolve((exit = { error })));
  });
  const url = `redis://127.0.0.1:${port}`;
  const stop = () => stopServer(child, exited);

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exit) {
      await sleep(50); // let the last output arrive
      throw new Error(`redis-server exited during start-up (${exit.error?.message ?? `code ${exit.code}`}):\n${output.trim().split('\n').slice(-10).join('\n')}`);
    }
    if ((await pingRedis(url, { timeoutMs: 500 })).status === 'ok') return { url, port, pid: child.pid, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING within ${readyTimeoutMs / 1000} s:\n${output.trim().split('\n').slice(-10).join('\n')}`);
    }
    await sleep(50);
  }
}

/** SIGTERM (Redis shuts down cleanly; nothing to save here), then SIGKILL if it hangs. */
async function stopServer(child, exited) {
  for (const [signal, waitMs] of [
    ['SIGTERM', 5_000],
    ['SIGKILL', 5_000],
  ]) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      child.kill(signal);
    } catch {
      return;
    }
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, waitMs, false)));
    const done = await Promise.race([exited.then(() => true), timeout]).finally(() => clearTimeout(timer));
    if (done) return;
  }
}
