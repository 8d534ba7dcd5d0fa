import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** Which requests to answer with a transient error (see failNext). */
export type S3RequestMatcher = (request: { method: string; url: string }) => boolean;

/** S3's own answer to a transient server fault; clients are expected to retry it. */
const INTERNAL_ERROR_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>';

/** A real S3-compatible HTTP server (s3rver) on loopback, with one bucket, files in a temp folder. */
export class FakeS3 {
  readonly bucket = 'atelier-test';
  /** s3rver's built-in key pair. */
  readonly accessKeyId = 'S3RVER';
  readonly secretAccessKey = 'S3RVER';
  /** Every request seen ("PUT /bucket/key"), to check what a client actually sent. */
  readonly requests: string[] = [];
  private readonly directory = mkdtempSync(join(tmpdir(), 'atelier-s3-'));
  private server?: S3rver;
  private port = 0;
  private readonly faults: Array<{ matches: S3RequestMatcher; remaining: number }> = [];

  async start(): Promise<this> {
    this.server = new S3rver({
      address: '127.0.0.1',
      port: this.port, // 0 the first time; the same port again after stop()
      silent: true,
      directory: this.directory,
      configureBuckets: [{ name: this.bucket }],
    });
    // First in the chain (Koa composes it when the server starts listening), so a planned fault answers before s3rver acts.
    this.server.middleware.unshift(async (ctx, next) => {
      const fault = this.faults.find((f) => f.remaining > 0 && f.matches({ method: ctx.method, url: ctx.url }));
      if (!fault) return next();
      fault.remaining -= 1;
      ctx.status = 500;
      ctx.type = 'application/xml';
      ctx.body = INTERNAL_ERROR_XML;
    });
    this.port = (await this.server.run()).port;
    this.server.httpServer?.on('request', (req: { method?: string; url?: string }) => this.requests.push(`${req.method} ${req.url}`));
    return this;
  }

  /**
   * Answers the next `count` requests that match with 500 InternalError, as S3 now and then does,
   * without acting on them.
   */
  failNext(matches: S3RequestMatcher, count = 1): void {
    this.faults.push({ matches, remaining: count });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Settings for S3BlobStore / the apps' environment. */
  get settings() {
    return {
      endpoint: this.endpoint,
      bucket: this.bucket,
      region: 'us-east-1',
      accessKeyId: this.accessKeyId,
      secretAccessKey: this.secretAccessKey,
      forcePathStyle: true,
    };
  }

  get env(): Record<string, string> {
    return {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: this.endpoint,
      S3_BUCKET: this.bucket,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: this.accessKeyId,
      S3_SECRET_ACCESS_KEY: this.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    };
  }

  /** Stops listening and drops kept-alive connections, so clients see the endpoint as down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server?.httpServer) return;
    const closed = server.close();
    server.httpServer.closeAllConnections();
    await closed;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
