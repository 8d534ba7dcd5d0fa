import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const ENTRIES = {
  api: join(process.cwd(), 'dist/apps/api/src/main.js'),
  worker: join(process.cwd(), 'dist/apps/worker/src/main.js'),
};

/** A real API or worker process started from the build output, with its output kept for failures. */
export class AppProcess {
  private output = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly name: keyof typeof ENTRIES,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(name: keyof typeof ENTRIES, env: Record<string, string>): AppProcess {
    if (!existsSync(ENTRIES[name])) throw new Error(`${ENTRIES[name]} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, [ENTRIES[name]], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(name, child);
  }

  get logs(): string {
    return this.output;
  }

  /** Resolves when `ready()` is true; rejects with the process's output if it exits or times out. */
  async waitUntil(ready: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
    let gone = false;
    void this.exited.then(() => (gone = true));
    await waitFor(async () => gone || (await ready()), {
      timeoutMs,
      intervalMs: 200,
      what: () => `${this.name} to be ready; its output:\n${this.output.slice(-4000)}`,
    });
    if (gone) throw new Error(`${this.name} exited during start-up:\n${this.output.slice(-4000)}`);
  }

  /** Sends `signal`; a process still there after `killAfterMs` is SIGKILLed. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), killAfterMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts an API and a worker against one environment and waits until both are ready. */
export async function startSystem(env: Record<string, string>): Promise<{ api: AppProcess; worker: AppProcess; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = AppProcess.start('api', { ...env, PORT: String(port) });
  const worker = AppProcess.start('worker', env);
  try {
    await Promise.all([
      api.waitUntil(async () => (await fetch(`${baseUrl}/health/live`)).ok),
      worker.waitUntil(() => worker.logs.includes('Atelier worker ready')),
    ]);
  } catch (error) {
    await Promise.all([api.stop('SIGKILL'), worker.stop('SIGKILL')]);
    throw error;
  }
  return { api, worker, baseUrl };
}
