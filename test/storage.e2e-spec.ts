import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppProcess, startApi } from './support/app-process';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

/** A PNG whose header claims 50,000 × 50,000 pixels: a decompression bomb's calling card. */
function bombHeaderPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(50_000, 0);
  ihdr.writeUInt32BE(50_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}

describe('storage: uploads checked by content, limits, caching, conversions, dedup', () => {
  const environment = new TestEnvironment();
  let api: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await environment.create();
    const started = await startApi(environment.env({ UPLOAD_MAX_BYTES: String(1024 * 1024) }));
    api = started.api;
    http = new HttpClient(started.baseUrl);
  });

  afterAll(async () => {
    await api?.stop();
    await environment.destroy();
  });

  it('accepts PNG, JPEG and WebP by content and refuses a GIF or text named .png (415)', async () => {
    const user = await registerUser(http, 'formats');
    const png = await gradientPng(40, 30);
    for (const [bytes, format] of [[png, 'png'], [await sharp(png).jpeg().toBuffer(), 'jpeg'], [await sharp(png).webp().toBuffer(), 'webp']] as const) {
      const upload = await user.client.upload('/v1/images', bytes, 'whatever.bin', 'application/octet-stream');
      expect(upload.status).toBe(201);
      expect(upload.body).toMatchObject({ format, width: 40, height: 30 });
    }
    const gif = await sharp(png).gif().toBuffer();
    expect((await user.client.upload('/v1/images', gif, 'sneaky.png')).status).toBe(415);
    expect((await user.client.upload('/v1/images', Buffer.from('just text'), 'notes.png')).status).toBe(415);
  });

  it('refuses a decompression bomb by its header, quickly (422), and an oversized body (413)', async () => {
    const user = await registerUser(http, 'bomb');
    const started = performance.now();
    const bomb = await user.client.upload('/v1/images', bombHeaderPng(), 'bomb.png');
    expect(bomb.status).toBe(422);
    expect(bomb.body.code).toBe('IMAGE_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(2000);
    const big = await user.client.upload('/v1/images', Buffer.alloc(1024 * 1024 + 10, 1), 'big.png');
    expect(big.status).toBe(413);
    expect(big.body.statusCode).toBe(413);
  });

  it('serves with a strong ETag and 304, converts and resizes on request, and stores identical bytes once', async () => {
    const user = await registerUser(http, 'cache');
    const png = await gradientPng(64, 48);
    const first = (await user.client.upload('/v1/images', png)).body;
    const second = (await user.client.upload('/v1/images', png)).body;
    expect(second.id).not.toBe(first.id);
    expect(second.sha256).toBe(first.sha256);
    const blobs = await environment.query<{ n: number }>('SELECT count(DISTINCT sha256)::int AS n FROM images WHERE id IN ($1, $2)', [first.id, second.id]);
    expect(blobs[0].n).toBe(1);

    const content = await user.client.bytes(`/v1/images/${first.id}/content`);
    const etag = content.headers.get('etag')!;
    expect(etag).toBe(`"${first.sha256}"`);
    const again = await fetch(`${http.baseUrl}/v1/images/${first.id}/content`, { headers: { authorization: `Bearer ${user.token}`, 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const thumb = await user.client.bytes(`/v1/images/${first.id}/content?format=webp&width=16`);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 16, height: 12 });
    const cached = await user.client.bytes(`/v1/images/${first.id}/content?format=webp&width=16`);
    expect(cached.bytes.equals(thumb.bytes)).toBe(true);
    expect((await user.client.bytes(`/v1/images/${first.id}/content?format=gif`)).status).toBe(400);
  });

  it('soft-deletes: the image is gone for its owner at once', async () => {
    const user = await registerUser(http, 'deleter');
    const image = (await user.client.upload('/v1/images', await gradientPng())).body.id;
    expect((await user.client.delete(`/v1/images/${image}`)).status).toBe(204);
    expect((await user.client.get(`/v1/images/${image}`)).status).toBe(404);
    expect((await user.client.delete(`/v1/images/${image}`)).status).toBe(404);
  });
});
