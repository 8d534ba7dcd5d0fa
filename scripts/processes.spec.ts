import { afterAll, describe, expect, it } from 'vitest';
import { createLineWriter, describeExit, spawnPrefixed, stopAll, stopProcess } from './lib/processes.mjs';

/** A stream stand-in that records what is written to it. */
function sink() {
  const chunks: string[] = [];
  return { chunks, write: (s: string) => (chunks.push(s), true) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const spawned: ReturnType<typeof spawnPrefixed>[] = [];
afterAll(() => stopAll(spawned, { graceMs: 100 })); // nothing left behind, even when a test failed

function node(name: string, script: string, out = sink(), err = sink()) {
  const proc = spawnPrefixed({ name, command: process.execPath, args: ['-e', script], stdout: out, stderr: err });
  spawned.push(proc);
  return { out, err, proc };
}

describe('createLineWriter', () => {
  it('prefixes whole lines, joins split chunks, and flushes a last partial line', () => {
    const out: string[] = [];
    const w = createLineWriter('[x] ', (s: string) => out.push(s));
    w.write('one\ntw');
    w.write('o\n\nthr');
    expect(out).toEqual(['[x] one\n', '[x] two\n', '[x] \n']);
    w.end();
    expect(out.at(-1)).toBe('[x] thr\n');
  });
});

describe('spawnPrefixed', () => {
  it('passes stdout and stderr through line by line with the prefix', async () => {
    const { out, err, proc } = node(
      'api',
      `process.stdout.write('one\\ntw'); process.stderr.write('oops\\n');
       setTimeout(() => process.stdout.write('o\\nno newline at the end'), 50);`,
    );
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(out.chunks).toEqual(['[api] one\n', '[api] two\n', '[api] no newline at the end\n']);
    expect(err.chunks).toEqual(['[api] oops\n']);
    expect(proc.tail()).toContain('no newline at the end');
    expect(proc.running).toBe(false);
  });

  it('reports a command that cannot start', async () => {
    const proc = spawnPrefixed({ name: 'x', command: '/nonexistent/atelier-binary', stdout: sink(), stderr: sink() });
    const exit = await proc.exited;
    expect(describeExit(exit)).toMatch(/ENOENT/);
    expect(proc.running).toBe(false);
  });
});

describe('stopProcess / stopAll', () => {
  it('stops with SIGTERM when the child handles it', async () => {
    const { out, proc } = node('worker', `process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000);`);
    await waitFor(() => out.chunks.includes('[worker] up\n'));
    const started = Date.now();
    expect(await stopProcess(proc, { graceMs: 5_000 })).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(out.chunks).toContain('[worker] bye\n');
  });

  it('kills with SIGKILL after the grace period, including its own children', async () => {
    const { out, proc } = node(
      'stubborn',
      `const { spawn } = require('node:child_process');
       const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
       console.log('grandchild ' + grandchild.pid);
       setInterval(() => {}, 1000);`,
    );
    await waitFor(() => out.chunks.some((c) => c.startsWith('[stubborn] grandchild ')));
    const grandchild = Number(out.chunks.find((c) => c.startsWith('[stubborn] grandchild '))!.split(' ')[2]);
    expect(alive(grandchild)).toBe(true);
    const [exit] = await stopAll([proc], { graceMs: 300 });
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(out.chunks).toContain('[stubborn] ignoring SIGTERM\n');
    await waitFor(() => !alive(grandchild));
  });

  it('returns at once for a child that already exited', async () => {
    const { proc } = node('done', 'process.exit(3)');
    await proc.exited;
    expect(describeExit(await stopProcess(proc))).toBe('exit code 3');
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
