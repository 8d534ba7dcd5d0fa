// Child processes of the launcher: output passed through with a per-line prefix, and an
// orderly stop (SIGTERM, then SIGKILL after a grace period).
import { spawn } from 'node:child_process';

// Children get their own process group (POSIX), so a Ctrl-C in the terminal reaches only the
// launcher, which then stops them in order instead of everything dying at once.
const OWN_GROUP = process.platform !== 'win32';

/** Splits a text stream into lines and writes each with `prefix`; `end()` flushes a last partial line. */
export function createLineWriter(prefix, write) {
  let pending = '';
  return {
    write(chunk) {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) !== -1) {
        write(prefix + pending.slice(0, nl + 1));
        pending = pending.slice(nl + 1);
      }
    },
    end() {
      if (pending) write(prefix + pending + '\n');
      pending = '';
    },
  };
}

/**
 * Spawns `command args` with its stdout/stderr written line by line, prefixed, to the given
 * streams (default: ours). Keeps the last lines of output for error messages.
 * Returns { name, child, pid, exited: Promise<{code, signal, error?}>, running, tail() }.
 */
export function spawnPrefixed({
  name,
  command,
  args = [],
  env = process.env,
  cwd = process.cwd(),
  prefix = `[${name}] `,
  stdout = process.stdout,
  stderr = process.stderr,
  tailLines = 40,
}) {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: OWN_GROUP });
  const lines = [];
  const remember = (text) => {
    lines.push(text.replace(/\n$/, '').slice(prefix.length));
    if (lines.length > tailLines) lines.shift();
  };
  const out = createLineWriter(prefix, (text) => (remember(text), stdout.write(text)));
  const err = createLineWriter(prefix, (text) => (remember(text), stderr.write(text)));
  child.stdout.setEncoding('utf8').on('data', (c) => out.write(c));
  child.stderr.setEncoding('utf8').on('data', (c) => err.write(c));

  const exited = new Promise((resolve) => {
    // 'close' comes after the output streams ended, so the tail is complete by then.
    child.once('close', (code, signal) => {
      out.end();
      err.end();
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error }); // never started
    });
  });

  return {
    name,
    child,
    pid: child.pid,
    exited,
    get running() {
      return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
    },
    tail: (n = tailLines) => lines.slice(-n).join('\n'),
  };
}

/** Sends `signal` to the child's process group (so its own children get it too), else to the child. */
export function signalProcess(child, signal) {
  if (child.pid === undefined) return;
  if (OWN_GROUP) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // group already gone: fall through to the single process
    }
  }
  try {
    child.kill(signal);
  } catch {
    // already exited
  }
}

/**
 * SIGTERM (or `signal`), then SIGKILL to its group after `graceMs`. Resolves with the exit once
 * it happened (the SIGKILL also covers a grandchild that still holds the output open).
 */
export async function stopProcess(proc, { graceMs = 10_000, signal = 'SIGTERM' } = {}) {
  if (proc.running) signalProcess(proc.child, signal);
  const timer = setTimeout(() => signalProcess(proc.child, 'SIGKILL'), graceMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Stops all processes in parallel; each gets the same grace period. */
export function stopAll(procs, options) {
  return Promise.all(procs.map((p) => stopProcess(p, options)));
}

/** Kills at once (second Ctrl-C). */
export function killNow(proc) {
  if (proc.running) signalProcess(proc.child, 'SIGKILL');
}

/** "exit code 1", "signal SIGKILL" or the spawn error, for messages. */
export function describeExit({ code, signal, error } = {}) {
  if (error) return error.message;
  if (signal) return `signal ${signal}`;
  return `exit code ${code}`;
}
