import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait-for';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
}

/** A real HTTP server on loopback that records webhooks and answers with scripted statuses. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(statuses: number[]): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        receiver!.received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = statuses[receiver!.received.length - 1] ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    return receiver;
  }

  async waitFor(count: number, timeoutMs = 30_000): Promise<void> {
    await waitFor(() => this.received.length >= count, {
      timeoutMs,
      intervalMs: 50,
      what: () => `${count} webhooks (${this.received.length} arrived)`,
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
