import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * How the fake answers the next `POST /prompt`: run it (`ok`), answer 500 or 400, hold the
 * request open forever (`hang`), or accept it and then drop the socket mid-run (`drop-socket`).
 */
export type PromptBehavior = 'ok' | '500' | '400' | 'hang' | 'drop-socket';

export interface ReceivedPrompt {
  id: string;
  clientId: string;
  graph: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  behavior: PromptBehavior;
  headers: IncomingMessage['headers'];
}

/**
 * A ComfyUI server on loopback that a test controls: just enough of the protocol (`/prompt`,
 * `/ws` with progress, a binary preview and the end events, `/history/{id}`, `/view`,
 * `/upload/image`, `/queue` delete, `/interrupt`) to drive Atelier's remote engine, with
 * faults on demand. Every request is recorded.
 */
export class FakeComfyUpstream {
  readonly prompts: ReceivedPrompt[] = [];
  readonly interrupted: string[] = [];
  readonly deleted: string[] = [];
  readonly uploads: Buffer[] = [];
  readonly requests: string[] = [];
  /** Answers for the coming prompts, in order; `fallback` once they are used up. */
  private readonly script: PromptBehavior[] = [];
  fallback: PromptBehavior = 'ok';
  /** How long a prompt runs, and in how many progress steps. */
  runMs = 30;
  steps = 4;
  running = 0;
  maxRunning = 0;
  /** Per prompt id: milliseconds from its POST /prompt arriving to its history entry written (the upstream's own time). */
  readonly ownTimeMs = new Map<string, number>();
  private readonly history = new Map<string, unknown>();
  private readonly sockets = new Map<string, WebSocket>();
  private readonly pending = new Set<ServerResponse>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private png?: Buffer;
  url = '';

  private constructor(private readonly color: { r: number; g: number; b: number }) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      const clientId = new URL(req.url ?? '/', 'http://x').searchParams.get('clientId') ?? randomUUID();
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.set(clientId, ws);
        ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: this.running } }, sid: clientId } }));
        ws.on('close', () => this.sockets.get(clientId) === ws && this.sockets.delete(clientId));
      });
    });
  }

  static async start(color = { r: 200, g: 40, b: 40 }, port = 0): Promise<FakeComfyUpstream> {
    const fake = new FakeComfyUpstream(color);
    await new Promise<void>((resolve) => fake.server.listen(port, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The next prompts get these answers, in order. */
  next(...behaviors: PromptBehavior[]): this {
    this.script.push(...behaviors);
    return this;
  }

  /** Back to running every prompt, at the default speed. */
  reset(): void {
    this.script.length = 0;
    this.fallback = 'ok';
    this.runMs = 30;
  }

  promptsWith(behavior: PromptBehavior): ReceivedPrompt[] {
    return this.prompts.filter((p) => p.behavior === behavior);
  }

  async close(): Promise<void> {
    for (const res of this.pending) res.destroy();
    for (const ws of this.sockets.values()) ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}`);
    const body = await readAll(req);
    const json = (status: number, value: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && url.pathname === '/prompt') return this.prompt(JSON.parse(body.toString('utf8') || '{}'), req, res, json);
    if (req.method === 'GET' && url.pathname.startsWith('/history/')) {
      const id = decodeURIComponent(url.pathname.slice('/history/'.length));
      const entry = this.history.get(id);
      return json(200, entry ? { [id]: entry } : {});
    }
    if (req.method === 'GET' && url.pathname === '/view') {
      res.setHeader('content-type', 'image/png');
      return void res.end(await this.image());
    }
    if (req.method === 'POST' && url.pathname === '/upload/image') {
      this.uploads.push(body);
      return json(200, { name: `upload-${this.uploads.length}.png`, subfolder: '', type: 'input' });
    }
    if (req.method === 'POST' && url.pathname === '/interrupt') {
      const id = (JSON.parse(body.toString('utf8') || '{}') as { prompt_id?: string }).prompt_id;
      if (id) this.interrupted.push(id);
      return json(200, {});
    }
    if (req.method === 'POST' && url.pathname === '/queue') {
      this.deleted.push(...((JSON.parse(body.toString('utf8') || '{}') as { delete?: string[] }).delete ?? []));
      return json(200, {});
    }
    json(404, { error: 'not found' });
  }

  private prompt(body: { prompt: ReceivedPrompt['graph']; client_id: string; prompt_id?: string }, req: IncomingMessage, res: ServerResponse, json: (s: number, v: unknown) => void): void {
    const behavior = this.script.shift() ?? this.fallback;
    const id = body.prompt_id ?? randomUUID();
    this.prompts.push({ id, clientId: body.client_id, graph: body.prompt, behavior, headers: req.headers });
    if (behavior === '500') return json(500, { error: 'upstream exploded' });
    if (behavior === '400') return json(400, { error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation: ckpt_name not in list', details: '' }, node_errors: {} });
    if (behavior === 'hang') {
      this.pending.add(res);
      res.on('close', () => this.pending.delete(res));
      return;
    }
    json(200, { prompt_id: id, number: this.prompts.length, node_errors: {} });
    void this.run(id, body.client_id, behavior === 'drop-socket', performance.now());
  }

  private async run(id: string, clientId: string, dropSocket: boolean, receivedAt: number): Promise<void> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const send = (type: string, data: Record<string, unknown>) => this.sockets.get(clientId)?.send(JSON.stringify({ type, data: { ...data, prompt_id: id } }));
    send('execution_start', {});
    send('execution_cached', { nodes: [] });
    for (let step = 1; step <= this.steps; step++) {
      await new Promise((r) => setTimeout(r, this.runMs / this.steps));
      if (this.interrupted.includes(id)) break;
      send('progress', { value: step, max: this.steps, node: '3' });
      if (step === 1) {
        const preview = await sharp({ create: { width: 16, height: 16, channels: 3, background: this.color } }).jpeg().toBuffer();
        const header = Buffer.alloc(8);
        header.writeUInt32BE(1, 0);
        header.writeUInt32BE(1, 4);
        this.sockets.get(clientId)?.send(Buffer.concat([header, preview]));
        if (dropSocket) this.sockets.get(clientId)?.terminate();
      }
    }
    const interrupted = this.interrupted.includes(id);
    this.history.set(id, {
      prompt: [0, id, {}, { client_id: clientId }, ['9']],
      outputs: interrupted ? {} : { 9: { images: [{ filename: `fake_${id}.png`, subfolder: '', type: 'output' }] } },
      status: interrupted
        ? { status_str: 'error', completed: false, messages: [['execution_interrupted', { prompt_id: id }]] }
        : { status_str: 'success', completed: true, messages: [] },
    });
    this.ownTimeMs.set(id, performance.now() - receivedAt);
    this.running--;
    if (!interrupted) {
      send('executed', { node: '9', output: { images: [{ filename: `fake_${id}.png`, subfolder: '', type: 'output' }] } });
      send('execution_success', {});
    } else {
      send('execution_interrupted', {});
    }
    send('executing', { node: null });
  }

  private async image(): Promise<Buffer> {
    this.png ??= await sharp({ create: { width: 8, height: 8, channels: 3, background: this.color } }).png().toBuffer();
    return this.png;
  }
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A loopback port nothing listens on: connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
