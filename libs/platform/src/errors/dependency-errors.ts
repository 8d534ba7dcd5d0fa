/**
 * Recognises "a dependency is down" errors from pg, TypeORM and ioredis/Bull so the
 * edge can answer 503 instead of 500.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P03', '08006', '08001', '08003']);

export function isDependencyDown(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (
      /Connection terminated|connect ECONNREFUSED|Connection is closed|Stream isn't writeable|enableOfflineQueue|Redis is not connected|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|DEPENDENCY_TIMEOUT/i.test(
        message,
      )
    ) {
      return true;
    }
    current = e.driverError ?? e.cause;
  }
  return false;
}

/**
 * Postgres "data exception" errors (SQLSTATE class 22: a NUL byte in text, a number out of
 * range, an invalid uuid) that hostile input can reach: they mean a 400, not a 500.
 */
export function isInvalidInputForDatabase(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = typeof e?.driverError?.code === 'string' ? e.driverError.code : e?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
