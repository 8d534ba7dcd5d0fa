import WebSocket from 'ws';

/** A ComfyUI socket event for our prompt: JSON `{type, data}`, or a binary preview (type 1 frame). */
export type ComfySocketEvent = { type: 'json'; event: string; data: Record<string, unknown> } | { type: 'preview'; image: Buffer };

/**
 * The upstream's `/ws?clientId=` for one try: events buffered from the moment it opens (the
 * prompt is submitted after), `closed` once it drops. Opening is best effort: without a socket
 * the try polls the history.
 */
export class ComfySocket {
  private readonly listeners = new Set<(event: ComfySocketEvent) => void>();
  private closeListeners = new Set<() => void>();
  closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw, isBinary) => {
      const event = parseFrame(raw as Buffer, isBinary);
      if (event) for (const listener of this.listeners) listener(event);
    });
    socket.on('close', () => this.markClosed());
    socket.on('error', () => this.markClosed());
  }

  /** Opens within `timeoutMs`, or resolves undefined (refused, timed out, aborted). */
  static open(url: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<ComfySocket | undefined> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(undefined);
      const socket = new WebSocket(url, { headers, handshakeTimeout: timeoutMs });
      const done = (value: ComfySocket | undefined) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = () => {
        socket.terminate();
        done(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('open', () => done(new ComfySocket(socket)));
      socket.once('error', () => done(undefined));
      socket.once('unexpected-response', () => {
        socket.terminate();
        done(undefined);
      });
    });
  }

  onEvent(listener: (event: ComfySocketEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    if (this.closed) listener();
    else this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.socket.removeAllListeners('message');
    this.socket.on('error', () => undefined);
    this.socket.terminate();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
  }
}

function parseFrame(raw: Buffer, isBinary: boolean): ComfySocketEvent | undefined {
  if (isBinary) {
    // [u32be 1 = PREVIEW_IMAGE][u32be format][image bytes]; other binary types are not ours to read.
    if (raw.length > 8 && raw.readUInt32BE(0) === 1) return { type: 'preview', image: raw.subarray(8) };
    return undefined;
  }
  try {
    const message = JSON.parse(raw.toString('utf8')) as { type?: unknown; data?: unknown };
    if (typeof message.type !== 'string' || !message.data || typeof message.data !== 'object') return undefined;
    return { type: 'json', event: message.type, data: message.data as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
