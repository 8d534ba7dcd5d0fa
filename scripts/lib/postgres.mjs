// ensurePostgres: use the configured PostgreSQL when it answers (creating the database if
// needed), otherwise start an embedded one (see postgres-embedded.mjs).
import { isLocalHost, redactUrl, sleep } from './net.mjs';
import { createDatabaseIfMissing, databaseName, probePostgres } from './postgres-client.mjs';
import { EMBEDDED_PORTS, startEmbeddedPostgres } from './postgres-embedded.mjs';

export { createDatabaseIfMissing, databaseName, probePostgres } from './postgres-client.mjs';
export { EMBEDDED_PORTS, startEmbeddedPostgres } from './postgres-embedded.mjs';

/**
 * Makes a PostgreSQL available for `databaseUrl` and returns
 * { url, kind: 'external' | 'embedded', description, createdDatabase, stop() }.
 * An embedded server is started only when the URL's host is this machine and nothing answers
 * there; its data lives in `embeddedDir` (initialised once, reused afterwards).
 */
export async function ensurePostgres({
  databaseUrl,
  embeddedDir,
  log = () => {},
  connectTimeoutMs = 3_000,
  ports = EMBEDDED_PORTS,
}) {
  let url;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL (${redactUrl(databaseUrl)}); expected e.g. postgres://postgres@127.0.0.1:5432/atelier`);
  }
  const shown = redactUrl(databaseUrl);
  let probe = await probePostgres(databaseUrl, { timeoutMs: connectTimeoutMs });
  for (let i = 0; probe.status === 'starting' && i < 20; i++) {
    await sleep(500);
    probe = await probePostgres(databaseUrl, { timeoutMs: connectTimeoutMs });
  }
  const external = (createdDatabase) => ({
    url: databaseUrl,
    kind: 'external',
    createdDatabase,
    description: `external, ${shown}${createdDatabase ? ` (created database "${databaseName(databaseUrl)}")` : ''}`,
    stop: async () => {},
  });

  if (probe.status === 'ok') return external(false);
  if (probe.status === 'no-database') {
    log(`PostgreSQL at ${shown} is up but has no database "${databaseName(databaseUrl)}": creating it`);
    return external(await createDatabaseIfMissing(databaseUrl));
  }
  const reason = probe.error?.code ?? probe.error?.message ?? 'unknown error';
  if (probe.status !== 'unreachable') {
    throw new Error(`PostgreSQL at ${shown} refused the connection: ${probe.error?.message}. Fix the user, password or database in DATABASE_URL.`);
  }
  if (!isLocalHost(url.hostname)) {
    throw new Error(`Cannot reach PostgreSQL at ${shown} (${reason}). Start that server or point DATABASE_URL at a reachable one.`);
  }

  log(`No PostgreSQL at ${shown} (${reason}): starting an embedded one (data in ${embeddedDir})`);
  try {
    const server = await startEmbeddedPostgres({ dir: embeddedDir, database: databaseName(databaseUrl), ports, log });
    const how = server.reused ? `already running (pid ${server.pid}), left running at exit` : 'started by the launcher';
    return {
      url: server.url,
      kind: 'embedded',
      createdDatabase: server.createdDatabase,
      description: `embedded PostgreSQL ${server.version} on 127.0.0.1:${server.port}, ${how}; ${redactUrl(server.url)}; data and log in ${embeddedDir}`,
      stop: server.stop,
      server,
    };
  } catch (error) {
    throw new Error(
      `No PostgreSQL is reachable at ${shown} (${reason}), and an embedded one could not be started: ${error.message}\n` +
        'To fix: install and start PostgreSQL (Debian/Ubuntu: `sudo apt-get install postgresql`), ' +
        'or set DATABASE_URL (environment or .env) to a server you can reach.',
    );
  }
}
