import WebSocket from 'ws';

export interface ComfyFrame {
  type: string;
  data: Record<string, any>;
}

/** A raw ComfyUI WebSocket client (the `ws` package) that records every JSON and binary frame it receives. */
export class ComfySocket {
  readonly frames: ComfyFrame[] = [];
  readonly binary: Buffer[] = [];
  private readonly waiters = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.binary.push(Buffer.from(data));
      else this.frames.push(JSON.parse(data.toString()) as ComfyFrame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens `ws(s)://…/ws?…`; resolves once open, rejects with the refusal's status and JSON body. */
  static open(url: string, headers: Record<string, string> = {}): Promise<ComfySocket> {
    const socket = new WebSocket(url, { headers });
    const client = new ComfySocket(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(Object.assign(new Error(`refused: ${response.statusCode}`), { status: response.statusCode, body: JSON.parse(body) })));
      });
      socket.once('error', reject);
    });
  }

  ofType(type: string): ComfyFrame[] {
    return this.frames.filter((f) => f.type === type);
  }

  /** Resolves with the first frame (from `from` on) that matches, the moment it arrives. */
  waitFor(match: (frame: ComfyFrame) => boolean, what: string, timeoutMs = 30_000, from = 0): Promise<ComfyFrame> {
    const find = () => this.frames.slice(from).find(match);
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.type))}`));
      }, timeoutMs);
      const check = () => {
        const hit = find();
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      this.waiters.add(check);
    });
  }

  close(): void {
    this.socket.close();
  }
}
