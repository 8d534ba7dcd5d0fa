import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from './lib/net.mjs';

/**
 * The launcher end to end, with tiny stand-ins for the built API, worker and model CLI, against
 * the local PostgreSQL and Redis (the embedded/started paths are covered by their own specs).
 */
const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const dir = mkdtempSync(join(tmpdir(), 'atelier-start-'));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

const API = file(
  'api.mjs',
  `import http from 'node:http';
   console.log('api pid ' + process.pid + ' prefix ' + process.env.REDIS_PREFIX + ' jwt ' + process.env.JWT_SECRET.length);
   const server = http.createServer((req, res) => { res.statusCode = req.url === '/health/live' ? 200 : 404; res.end(); });
   server.listen(Number(process.env.PORT));
   process.on('SIGTERM', () => { console.log('api stopping'); server.close(() => process.exit(0)); });
   if (process.env.STANDIN_API_CRASH) server.on('listening', () => setTimeout(() => { console.error('api crashed'); process.exit(3); }, 300));`,
);
const WORKER = file(
  'worker.mjs',
  `console.log('worker pid ' + process.pid);
   const timer = setInterval(() => {}, 1000);
   process.on('SIGTERM', () => { console.log('worker stopping'); clearInterval(timer); });`,
);
const MODELS = file(
  'models.mjs',
  `if (process.env.STANDIN_MODELS_FAIL) { console.error('models:prepare failed: no manifest'); process.exit(1); }
   console.log('models ready in ' + process.env.MODELS_DIR);`,
);
const ENV_FILE = file('.env', 'REDIS_PREFIX="from-dotenv:"\n# a comment\n');

const launched: ChildProcess[] = [];
afterAll(async () => {
  // A launcher still running (a failed test) gets SIGTERM, so it stops its own children too.
  const running = launched.filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => (clearTimeout(timer), resolve()));
          child.kill('SIGTERM');
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

async function launch(extra: Record<string, string> = {}) {
  const port = await findFreePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    ATELIER_ENV_FILE: ENV_FILE,
    ATELIER_API_ENTRY: API,
    ATELIER_WORKER_ENTRY: WORKER,
    ATELIER_MODELS_ENTRY: MODELS,
    ATELIER_STOP_GRACE_MS: '3000',
    DATABASE_URL: ADMIN_URL,
    REDIS_URL,
    MODELS_DIR: join(dir, 'models'),
    STORAGE_DIR: join(dir, 'storage'),
    PORT: String(port),
    ...extra,
  };
  delete env.JWT_SECRET;
  delete env.REDIS_PREFIX;
  const child = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  launched.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForOutput = async (text: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no "${text}" in launcher output:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, port, exited, waitForOutput, output: () => output };
}

const pidIn = (output: string, name: string) => Number(new RegExp(`\\[${name}\\] ${name} pid (\\d+)`).exec(output)?.[1]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('scripts/start.mjs', () => {
  it('starts the apps with the final config, reports the URLs, and stops everything on SIGTERM', async () => {
    const run = await launch();
    await run.waitForOutput('Press Ctrl-C to stop.');
    const out = run.output();
    expect(out).toContain('[atelier] JWT_SECRET is not set: using a random one');
    expect(out).toContain('prefix from-dotenv: jwt 64'); // .env loaded, generated secret passed on
    expect(out).toContain(`[models] models ready in ${join(dir, 'models')}`);
    expect(out).toContain(`API:       http://127.0.0.1:${run.port}`);
    expect(out).toContain(`API docs:  http://127.0.0.1:${run.port}/docs`);
    expect(out).toMatch(/Postgres: +external, postgres:\/\//);
    expect(out).toMatch(/Redis: +external, redis:\/\//);
    expect((await fetch(`http://127.0.0.1:${run.port}/health/live`)).status).toBe(200);

    const api = pidIn(out, 'api');
    const worker = pidIn(out, 'worker');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('[api] api stopping');
    expect(run.output()).toContain('[worker] worker stopping');
    expect(alive(api)).toBe(false);
    expect(alive(worker)).toBe(false);
  }, 30_000);

  it('stops the rest and exits non-zero when an app dies on its own', async () => {
    const run = await launch({ STANDIN_API_CRASH: '1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('[api] api crashed');
    expect(run.output()).toContain('The api stopped on its own (exit code 3): stopping everything');
    expect(alive(pidIn(run.output(), 'worker'))).toBe(false);
  }, 30_000);

  it('fails with the model CLI message and starts no app when model preparation fails', async () => {
    const run = await launch({ STANDIN_MODELS_FAIL: '1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Model preparation failed \(exit code 1\):[\s\S]*models:prepare failed: no manifest/);
    expect(run.output()).not.toContain('[api]');
  }, 30_000);

  it('refuses a port that is already taken', async () => {
    const first = await launch();
    await first.waitForOutput('Press Ctrl-C to stop.');
    const second = await launch({ PORT: String(first.port) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`Port ${first.port} is already in use`);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
  }, 30_000);
});
