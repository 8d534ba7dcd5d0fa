import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startApi } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

const WINDOW_SECONDS = 600;

/**
 * The image library (GET /v1/images) and signed URLs that stay the same for a window, as caches
 * need; and a deprecated route's headers (the same API process serves both).
 */
describe('image library and cacheable signed URLs', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let http: HttpClient;
  let owner: Awaited<ReturnType<typeof registerUser>>;
  const uploaded: string[] = [];

  beforeAll(async () => {
    await environment.create();
    const started = await startApi(environment.env({ SIGNED_URL_TTL_SECONDS: String(WINDOW_SECONDS), LOG_LEVEL: 'warn' }));
    api = started.api;
    http = new HttpClient(started.baseUrl);
    owner = await registerUser(http, 'library');
    for (let i = 0; i < 5; i++) {
      const upload = await owner.client.upload('/v1/images', await gradientPng(30 + i, 20));
      expect(upload.status).toBe(201);
      expect(upload.body.source).toBe('upload');
      uploaded.push(upload.body.id);
    }
  });

  afterAll(async () => {
    await api?.stop();
    await environment.destroy();
  });

  it('lists the caller’s uploads newest first, page by page, with signed URLs', async () => {
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await owner.client.get(`/v1/images?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      for (const item of page.body.items) {
        expect(item).toMatchObject({ source: 'upload', format: 'png', url: expect.stringMatching(new RegExp(`^/v1/images/${item.id}/content\\?expires=\\d+&sig=`)) });
        seen.push(item.id);
      }
      cursor = page.body.nextCursor ?? '';
    } while (cursor);
    expect(seen).toEqual([...uploaded].reverse());
    expect((await owner.client.get('/v1/images?source=generated')).body).toEqual({ items: [], nextCursor: null });
    expect((await owner.client.get(`/v1/images?jobId=${uploaded[0]}`)).body.items).toEqual([]);
  });

  it('shows nobody else’s images, leaves deleted ones out and refuses bad filters', async () => {
    const other = await registerUser(http, 'stranger');
    expect((await other.client.get('/v1/images')).body.items).toEqual([]);
    expect((await owner.client.delete(`/v1/images/${uploaded[0]}`)).status).toBe(204);
    const ids = (await owner.client.get('/v1/images?limit=100')).body.items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(uploaded.slice(1).reverse());
    expect((await owner.client.get('/v1/images?source=job')).status).toBe(400);
    expect((await owner.client.get('/v1/images?jobId=nope')).status).toBe(400);
    expect((await owner.client.get('/v1/images?cursor=bm9wZQ')).body.code).toBe('INVALID_CURSOR');
    expect((await http.get('/v1/images')).status).toBe(401);
  });

  it('signs the same URL on every read within a window; any cache may keep signed bytes until expiry', async () => {
    const id = uploaded[1];
    const first = (await owner.client.get(`/v1/images/${id}`)).body.url as string;
    const listed = (await owner.client.get('/v1/images?limit=100')).body.items.find((i: { id: string }) => i.id === id).url;
    expect(listed).toBe(first);
    const expires = Number(new URL(first, 'http://x').searchParams.get('expires'));
    expect(expires % WINDOW_SECONDS).toBe(0);
    const left = expires - Date.now() / 1000;
    expect(left).toBeGreaterThan(WINDOW_SECONDS - 5);
    expect(left).toBeLessThanOrEqual(2 * WINDOW_SECONDS);

    const signed = await http.bytes(`${first}&width=16&format=webp`);
    expect(signed.status).toBe(200);
    const maxAge = Number(/max-age=(\d+)/.exec(signed.headers.get('cache-control')!)![1]);
    expect(signed.headers.get('cache-control')).toBe(`public, max-age=${maxAge}, s-maxage=${maxAge}, immutable`);
    expect(Math.abs(maxAge - left)).toBeLessThanOrEqual(2);
    expect(signed.headers.get('vary') ?? '').not.toMatch(/authorization/i);
  });

  it('never lets a shared cache keep bytes read with a bearer, nor a refusal', async () => {
    const id = uploaded[1];
    const bearer = await owner.client.bytes(`/v1/images/${id}/content`);
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(bearer.headers.get('vary')).toMatch(/authorization/i);
    const url = (await owner.client.get(`/v1/images/${id}`)).body.url as string;
    const tampered = await http.bytes(url.replace(/sig=(.)/, (_, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`));
    expect(tampered.status).toBe(403);
    expect(tampered.headers.get('cache-control')).toBe('no-store');
  });

  it('answers the deprecated GET /v1/users/me like /v1/me, with Deprecation, Sunset and a successor Link; the OpenAPI document marks it', async () => {
    const alias = await owner.client.get('/v1/users/me');
    const current = await owner.client.get('/v1/me');
    expect(alias.status).toBe(200);
    expect(alias.body).toEqual(current.body);
    expect(alias.headers.get('deprecation')).toBe(`@${Date.UTC(2026, 11, 1) / 1000}`);
    expect(alias.headers.get('sunset')).toBe('Wed, 30 Jun 2027 00:00:00 GMT');
    expect(alias.headers.get('link')).toContain('</v1/me>; rel="successor-version"');
    expect(current.headers.get('deprecation')).toBeNull();
    expect(current.headers.get('sunset')).toBeNull();
    const document = (await http.get('/docs-json')).body;
    expect(document.paths['/v1/users/me'].get.deprecated).toBe(true);
    expect(document.paths['/v1/me'].get.deprecated).toBeUndefined();
  });
});
