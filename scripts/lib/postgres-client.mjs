// PostgreSQL client helpers for the launcher: one-shot probe, database name, create database.
import pg from 'pg';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * One connection attempt. status: 'ok' | 'no-database' (server up, database missing) |
 * 'starting' (server still starting) | 'refused' (server answered with an error, e.g. auth) |
 * 'unreachable' (nothing answered in time).
 */
export async function probePostgres(url, { timeoutMs = 3_000 } = {}) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {}); // errors surface through connect()/query()
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { status: 'ok' };
  } catch (error) {
    const code = typeof error?.code === 'string' ? error.code : '';
    if (code === '3D000') return { status: 'no-database', error };
    if (code === '57P03') return { status: 'starting', error };
    if (SQLSTATE.test(code)) return { status: 'refused', error };
    return { status: 'unreachable', error };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The database a URL names (pg's rule: the path, else the user name). */
export function databaseName(url) {
  const u = new URL(url);
  return decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
}

/** Creates the URL's database through the server's `postgres` (or `template1`) database. Returns true if it created it. */
export async function createDatabaseIfMissing(url, { timeoutMs = 5_000 } = {}) {
  const name = databaseName(url);
  let lastError;
  for (const adminDb of ['postgres', 'template1']) {
    const admin = new URL(url);
    admin.pathname = `/${adminDb}`;
    const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: timeoutMs });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) return false;
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      if (error?.code === '42P04') return false; // created concurrently: fine
      lastError = error;
      if (error?.code !== '3D000') break;
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new Error(`could not create database "${name}": ${lastError?.message ?? lastError}`);
}
