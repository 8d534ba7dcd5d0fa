import { TryAborted, UpstreamFault, UpstreamRejection } from './upstream-errors';

/** Socket-level failures that say the host is down or dropped us: retried elsewhere. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function networkCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

/** The upstream's own words from an error body: ComfyUI's `{error: {message}}`, OpenAI's, or the text. */
export function upstreamMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown };
    const error = json.error as { message?: unknown; type?: unknown } | string | undefined;
    if (typeof error === 'string') return error;
    if (error && typeof error.message === 'string') return error.message;
    if (typeof json.message === 'string') return json.message;
  } catch {
    // not JSON: the text itself
  }
  return body.slice(0, 300).trim() || 'no message';
}

/**
 * fetch against an upstream host, its failures sorted: a 5xx or a socket failure is an
 * UpstreamFault, a 4xx an UpstreamRejection, an abort a TryAborted; otherwise the response.
 */
export async function upstreamFetch(host: string, url: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
  if (signal.aborted) throw new TryAborted();
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal });
  } catch (error) {
    if (signal.aborted) throw new TryAborted();
    const code = networkCode(error);
    throw new UpstreamFault('network', host, `${host}: ${code ?? (error as Error).message}`);
  }
  if (response.ok) return response;
  const body = await response.text().catch(() => '');
  const message = upstreamMessage(body);
  if (response.status >= 500) throw new UpstreamFault('5xx', host, `${host} answered ${response.status}: ${message}`, response.status);
  throw new UpstreamRejection(host, response.status, `${host} refused the request (${response.status}): ${message}`);
}

/** The body of a successful answer, a read cut short counting as a network fault. */
export async function readBody<T>(host: string, response: Response, as: 'json' | 'bytes', signal: AbortSignal): Promise<T> {
  try {
    return (as === 'json' ? await response.json() : Buffer.from(await response.arrayBuffer())) as T;
  } catch (error) {
    if (signal.aborted) throw new TryAborted();
    throw new UpstreamFault('network', host, `${host}: the answer was cut short (${(error as Error).message})`);
  }
}

/** Resolves after `ms`, or throws TryAborted as soon as the signal fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new TryAborted());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TryAborted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
