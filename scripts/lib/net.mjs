// Small network helpers shared by the launcher: ports, URLs, waiting.
import net from 'node:net';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** True for host names that mean "this machine": only then may the launcher start a server itself. */
export function isLocalHost(hostname) {
  const host = String(hostname).toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\./.test(host);
}

/** The URL with its password replaced by `***`, for logs. */
export function redactUrl(raw) {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<invalid URL>';
  }
}

/** Whether nothing listens on `port` (binding succeeds). Without a host, checks all interfaces. */
export function isPortFree(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port of `preferred` on 127.0.0.1, else one the OS picks. */
export async function findFreePort(preferred = []) {
  for (const port of preferred) {
    if (await isPortFree(port, '127.0.0.1')) return port;
  }
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `url` until it answers 200. Rejects on timeout, or as soon as `abort()` returns a
 * message (e.g. a child process died), so the caller never waits for a dead process.
 */
export async function waitForHttpOk(url, { timeoutMs = 90_000, intervalMs = 500, abort = () => null } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const reason = abort();
    if (reason) throw new Error(reason);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.min(5_000, timeoutMs)) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err?.cause?.code ?? err?.message ?? String(err);
    }
    if (Date.now() >= deadline) throw new Error(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
    await sleep(intervalMs);
  }
}
