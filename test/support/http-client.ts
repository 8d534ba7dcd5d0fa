import { waitFor } from './wait-for';

/** A tiny JSON client over fetch for the e2e tests. */
export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class HttpClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  as(token: string): HttpClient {
    return new HttpClient(this.baseUrl, token);
  }

  get<T = any>(path: string, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    return this.request('GET', path, undefined, headers);
  }

  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    return this.request('POST', path, body, headers);
  }

  put<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    return this.request('PUT', path, body, headers);
  }

  delete<T = any>(path: string, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    return this.request('DELETE', path, undefined, headers);
  }

  async upload<T = any>(path: string, bytes: Buffer, filename = 'image.png', type = 'image/png'): Promise<HttpResult<T>> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
    return this.send(path, { method: 'POST', body: form, headers: this.authHeaders() });
  }

  async bytes(path: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const response = await fetch(this.baseUrl + path, { headers: this.authHeaders() });
    return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
  }

  private request<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<HttpResult<T>> {
    return this.send(path, {
      method,
      headers: { ...this.authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  private async send<T>(path: string, init: RequestInit): Promise<HttpResult<T>> {
    const response = await fetch(this.baseUrl + path, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}

export async function registerUser(client: HttpClient, label: string): Promise<{ token: string; userId: string; client: HttpClient }> {
  const email = `${label}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const result = await client.post('/v1/auth/register', { email, password: 'correct horse battery' });
  if (result.status !== 201) throw new Error(`register failed: ${result.status} ${JSON.stringify(result.body)}`);
  return { token: result.body.accessToken, userId: result.body.user.id, client: client.as(result.body.accessToken) };
}

/** Polls GET /v1/jobs/:id until the job is in one of `statuses`; resolves with the job. */
export function waitForJobStatus(client: HttpClient, jobId: string, statuses: string[], timeoutMs = 60_000): Promise<any> {
  let last = '';
  return waitFor(
    async () => {
      const job = (await client.get(`/v1/jobs/${jobId}`)).body;
      last = job?.status;
      return statuses.includes(job?.status) ? job : undefined;
    },
    { timeoutMs, what: () => `job ${jobId} to be ${statuses.join(' or ')} (still ${last})` },
  );
}
