import { io, type Socket } from 'socket.io-client';
import { AtelierError, type Image, type Job, type JobRequest, type ProgressEvent, type Session } from './types';

const FINAL = new Set(['succeeded', 'failed', 'canceled']);

/**
 * A thin typed client over the Atelier REST API and its Socket.IO progress events:
 * submit a job, wait for it with progress, download its images.
 */
export class AtelierClient {
  private socket?: Socket;

  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  static async register(baseUrl: string, email: string, password: string): Promise<AtelierClient> {
    const session = await new AtelierClient(baseUrl).request<Session>('POST', '/v1/auth/register', { email, password });
    return new AtelierClient(baseUrl, session.accessToken);
  }

  static async login(baseUrl: string, email: string, password: string): Promise<AtelierClient> {
    const session = await new AtelierClient(baseUrl).request<Session>('POST', '/v1/auth/login', { email, password });
    return new AtelierClient(baseUrl, session.accessToken);
  }

  uploadImage(bytes: Uint8Array, filename = 'image.png'): Promise<Image> {
    const form = new FormData();
    form.append('file', new Blob([bytes]), filename);
    return this.request<Image>('POST', '/v1/images', form);
  }

  submit(job: JobRequest, idempotencyKey?: string): Promise<Job> {
    return this.request<Job>('POST', '/v1/jobs', job, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  getJob(id: string): Promise<Job> {
    return this.request<Job>('GET', `/v1/jobs/${encodeURIComponent(id)}`);
  }

  cancel(id: string): Promise<Job> {
    return this.request<Job>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`);
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

  async download(url: string): Promise<Uint8Array> {
    const response = await fetch(new URL(url, this.baseUrl), { headers: this.authHeaders() });
    if (!response.ok) throw await AtelierClient.toError(response);
    return new Uint8Array(await response.arrayBuffer());
  }

  close(): void {
    this.socket?.close();
  }

  private async events(): Promise<Socket> {
    if (this.socket?.connected) return this.socket;
    const socket = io(`${this.baseUrl}/events`, { auth: { token: this.token }, transports: ['websocket'] });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(new AtelierError(401, 'SOCKET_REFUSED', error.message)));
    });
    return socket;
  }

  private async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const isForm = body instanceof FormData;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { ...this.authHeaders(), ...(body === undefined || isForm ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    if (!response.ok) throw await AtelierClient.toError(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  private static async toError(response: Response): Promise<AtelierError> {
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string; details?: Record<string, unknown> };
    const retryAfter = response.headers.get('retry-after');
    return new AtelierError(response.status, body.code ?? 'HTTP_ERROR', body.message ?? response.statusText, body.details, retryAfter ? Number(retryAfter) : undefined);
  }
}
