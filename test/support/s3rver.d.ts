/** The part of s3rver (a fake S3 server over real HTTP, no types of its own) that the tests use. */
declare module 's3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    configureBuckets?: Array<{ name: string }>;
  }

  /** The part of a Koa context (s3rver is a Koa app) that a test middleware uses. */
  interface S3rverContext {
    method: string;
    url: string;
    status: number;
    type: string;
    body: unknown;
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    httpServer?: Server;
    /** Koa's middleware chain, composed when the server starts listening. */
    middleware: Array<(ctx: S3rverContext, next: () => Promise<void>) => Promise<void>>;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
