import createClient, { type Client } from 'openapi-fetch';
import { io, type Socket } from 'socket.io-client';
import { Authenticator } from './authenticator';
import type { paths } from './generated/openapi';
import { MemorySessionStore, type SessionStore } from './session-store';
import {
  AtelierError,
  type Billing,
  type DynamicJobRequest,
  type Image,
  type ImageDetails,
  type ImagePage,
  type Job,
  type JobPage,
  type JobRequest,
  type JobTypeInfo,
  type Model,
  type ProgressEvent,
  type Rating,
  type Session,
  type TemplatePage,
} from './types';

const FINAL = new Set(['succeeded', 'failed', 'canceled']);

type Query<Path extends keyof paths> = paths[Path] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;
type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * A typed client over the Atelier REST API (openapi-fetch on the types generated from the
 * OpenAPI document) and its Socket.IO progress events: sign in, submit a job, wait for it with
 * progress, download its images. Every non-2xx answer is thrown as an AtelierError.
 */
export class AtelierClient {
  private readonly auth: Authenticator;
  private readonly api: Client<paths>;
  private socket?: Socket;

  /**
   * @param baseUrl the API's origin; '' (the default) is the page's own origin in a browser.
   * @param credentials an API key or access token, sent as is; or the store of a session that
   *   signIn fills and a 401 refreshes.
   */
  constructor(
    readonly baseUrl = '',
    credentials: string | SessionStore = new MemorySessionStore(),
  ) {
    this.auth = typeof credentials === 'string' ? new Authenticator(baseUrl, new MemorySessionStore(), credentials) : new Authenticator(baseUrl, credentials);
    this.api = createClient<paths>({ baseUrl, fetch: this.auth.fetch });
  }

  static async register(baseUrl: string, email: string, password: string): Promise<AtelierClient> {
    const client = new AtelierClient(baseUrl);
    await client.signIn('register', email, password);
    return client;
  }

  static async login(baseUrl: string, email: string, password: string): Promise<AtelierClient> {
    const client = new AtelierClient(baseUrl);
    await client.signIn('login', email, password);
    return client;
  }

  get sessions(): SessionStore {
    return this.auth.sessions;
  }

  /** The token requests and the socket handshake send now. */
  get accessToken(): string | undefined {
    return this.auth.accessToken;
  }

  /** Signs in (or creates the account) and keeps the session in the store. */
  signIn(mode: 'login' | 'register', email: string, password: string): Promise<Session> {
    return this.auth.signIn(mode, email, password);
  }

  /** Whether the server offers sign-in with an identity provider, and its name. */
  identityProvider(): Promise<{ enabled: boolean; providerName?: string }> {
    return unwrap(this.api.GET('/v1/auth/oidc'));
  }

  /** Where to send a browser to sign in with the identity provider; it comes back to `returnTo` with `#oidc-ticket=…`. */
  identityProviderSignInUrl(returnTo = '/'): string {
    return `${this.baseUrl}/v1/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`;
  }

  /** Finishes that sign-in with the ticket of the URL fragment and keeps the session. */
  signInWithTicket(ticket: string): Promise<Session> {
    return this.auth.signInWithTicket(ticket);
  }

  signOut(): Promise<void> {
    this.close();
    return this.auth.signOut();
  }

  /** Refreshes the session now (requests do it by themselves on a 401); false when it is over. */
  refreshSession(): Promise<boolean> {
    return this.auth.refreshSession();
  }

  billing(): Promise<Billing> {
    return unwrap(this.api.GET('/v1/billing'));
  }

  listModels(): Promise<Model[]> {
    return unwrap(this.api.GET('/v1/models'));
  }

  listTemplates(query: Query<'/v1/templates'> = {}): Promise<TemplatePage> {
    return unwrap(this.api.GET('/v1/templates', { params: { query } }));
  }

  listJobs(query: Query<'/v1/jobs'> = {}): Promise<JobPage> {
    return unwrap(this.api.GET('/v1/jobs', { params: { query } }));
  }

  /** The job types this server runs, each with the JSON Schema of its input. */
  async listJobTypes(): Promise<JobTypeInfo[]> {
    // The document types inputSchema as any object: read it as the JSON Schema it is.
    return (await unwrap(this.api.GET('/v1/job-types'))) as unknown as JobTypeInfo[];
  }

  /** What the job would cost, without submitting it. */
  async quote(job: JobRequest | DynamicJobRequest): Promise<number> {
    return (await unwrap(this.api.POST('/v1/jobs/quote', { body: job as JobRequest }))).cost;
  }

  /** Submits a job; the same idempotency key (kept 24 h) answers the same job instead of a second one. */
  submit(job: JobRequest | DynamicJobRequest, idempotencyKey?: string): Promise<Job> {
    // A DynamicJobRequest is checked by the API (422), not by the compiler: hence the cast.
    return unwrap(this.api.POST('/v1/jobs', { body: job as JobRequest, params: { header: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} } }));
  }

  getJob(id: string): Promise<Job> {
    return unwrap(this.api.GET('/v1/jobs/{id}', { params: { path: { id } } }));
  }

  cancel(id: string): Promise<Job> {
    return unwrap(this.api.POST('/v1/jobs/{id}/cancel', { params: { path: { id } } }));
  }

  /** Uploads a PNG, JPEG or WebP image (checked by content) as `multipart/form-data`. */
  uploadImage(image: Uint8Array | Blob, filename = 'image.png'): Promise<Image> {
    const form = new FormData();
    // A copy: Blob takes only bytes over a plain ArrayBuffer (a Node Buffer may sit on a shared one).
    form.append('file', image instanceof Blob ? image : new Blob([new Uint8Array(image)]), filename);
    // openapi-fetch sends a FormData body as it is, with the browser's multipart boundary.
    return unwrap(this.api.POST('/v1/images', { body: form as unknown as { file: string } }));
  }

  /** The caller's images (uploads and generated), newest first; `nextCursor` fetches the next page. */
  listImages(query: Query<'/v1/images'> = {}): Promise<ImagePage> {
    return unwrap(this.api.GET('/v1/images', { params: { query } }));
  }

  getImage(id: string): Promise<ImageDetails> {
    return unwrap(this.api.GET('/v1/images/{id}', { params: { path: { id } } }));
  }

  rateImage(id: string, score: number, feedback?: string): Promise<Rating> {
    return unwrap(this.api.POST('/v1/images/{id}/ratings', { params: { path: { id } }, body: { score, ...(feedback ? { feedback } : {}) } }));
  }

  async deleteImage(id: string): Promise<void> {
    await unwrap(this.api.DELETE('/v1/images/{id}', { params: { path: { id } } }));
  }

  /** Resolves with the finished job; progress arrives over Socket.IO, with the snapshot as a safety net. */
  async waitForJob(id: string, onProgress?: (event: ProgressEvent) => void, timeoutMs = 300_000): Promise<Job> {
    const socket = await this.events();
    return new Promise<Job>((resolve, reject) => {
      const timer = setTimeout(() => finish(new AtelierError(408, 'WAIT_TIMEOUT', `job ${id} not finished after ${timeoutMs} ms`)), timeoutMs);
      const progress = (event: ProgressEvent) => event.jobId === id && onProgress?.(event);
      const done = (event: { jobId: string }) => event.jobId === id && void this.getJob(id).then((job) => finish(job), finish);
      const finish = (result: Job | Error) => {
        clearTimeout(timer);
        socket.off('job.progress', progress);
        for (const name of ['job.succeeded', 'job.failed', 'job.canceled']) socket.off(name, done);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      socket.on('job.progress', progress);
      for (const name of ['job.succeeded', 'job.failed', 'job.canceled']) socket.on(name, done);
      // The job may have finished before we listened: the subscribe ack carries its snapshot.
      void socket.timeout(10_000).emitWithAck('subscribe', { jobId: id }).then((ack: { ok: boolean; job?: Job }) => {
        if (ack.ok && ack.job && FINAL.has(ack.job.status)) finish(ack.job);
      }, () => undefined);
    });
  }

  /** Opens the Socket.IO connection now, so that events of a job submitted next are not missed. */
  async connect(): Promise<void> {
    await this.events();
  }

  /** The bytes behind an image URL of the API (signed or not). */
  async download(url: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.downloadBlob(url)).arrayBuffer());
  }

  /** An image URL of the API as a Blob with its content type, e.g. for an object URL in a page. */
  async downloadBlob(url: string): Promise<Blob> {
    const response = await this.auth.fetch(new Request(this.baseUrl ? new URL(url, this.baseUrl) : url));
    if (!response.ok) throw AtelierError.fromResponse(response, await response.json().catch(() => undefined));
    return response.blob();
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  private async events(): Promise<Socket> {
    if (this.socket?.connected) return this.socket;
    // A function, so that a reconnect after a refresh sends the new token.
    const socket = io(`${this.baseUrl}/events`, { auth: (send) => send({ token: this.accessToken }), transports: ['websocket'] });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(new AtelierError(401, 'SOCKET_REFUSED', error.message)));
    });
    return socket;
  }
}

/** The data of a 2xx answer; anything else as an AtelierError. */
async function unwrap<T>(pending: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw AtelierError.fromResponse(response, error);
  return data as T;
}
