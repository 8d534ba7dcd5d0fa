import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export interface ReceivedImagesCall {
  path: string;
  authorization?: string;
  /** The JSON body, or the multipart fields (files as their byte length). */
  fields: Record<string, unknown>;
  image?: Buffer;
}

/** An OpenAI-compatible images API on loopback: `/v1/images/generations` and `/v1/images/edits`, `b64_json` answers, faults on demand. */
export class FakeOpenAiImages {
  readonly calls: ReceivedImagesCall[] = [];
  /** Status codes for the coming calls (200 runs it); 200 once used up. */
  readonly script: number[] = [];
  private readonly server: Server;
  url = '';

  private constructor() {
    this.server = createServer((req, res) => {
      void this.answer(req).then(({ status, body }) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      });
    });
  }

  static async start(): Promise<FakeOpenAiImages> {
    const fake = new FakeOpenAiImages();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/v1`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const call: ReceivedImagesCall = { path, authorization: req.headers.authorization, fields: {} };
    if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type']! } }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') call.fields[key] = value;
        else call.image = Buffer.from(await value.arrayBuffer());
      }
    } else {
      call.fields = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    }
    this.calls.push(call);
    const status = this.script.shift() ?? 200;
    if (status >= 400) return { status, body: { error: { message: status >= 500 ? 'The server had an error' : 'Your request was rejected by the safety system', type: 'invalid_request_error', code: null } } };
    if (path !== '/v1/images/generations' && path !== '/v1/images/edits') return { status: 404, body: { error: { message: 'no such route' } } };
    const [width, height] = String(call.fields.size ?? '64x64').split('x').map(Number);
    const n = Number(call.fields.n ?? 1);
    const png = await sharp({ create: { width, height, channels: 3, background: { r: 10, g: call.image ? 200 : 100, b: 10 } } }).png().toBuffer();
    return { status: 200, body: { created: 1, data: Array.from({ length: n }, () => ({ b64_json: png.toString('base64') })) } };
  }
}
