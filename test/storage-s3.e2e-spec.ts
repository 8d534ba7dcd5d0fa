import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, freePort } from './support/app-process';
import { FakeS3 } from './support/fake-s3';
import { HttpClient, registerUser } from './support/http-client';
import { gradientPng } from './support/images';
import { TestEnvironment } from './support/test-environment';

describe('storage on the S3 driver (s3rver on loopback)', () => {
  const environment = new TestEnvironment();
  const s3 = new FakeS3();
  let api: AppProcess;
  let http: HttpClient;

  beforeAll(async () => {
    await Promise.all([environment.create(), s3.start()]);
    const port = await freePort();
    api = AppProcess.start('api', { ...environment.env(s3.env), PORT: String(port) });
    await api.waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health/live`)).ok);
    http = new HttpClient(`http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([environment.destroy(), s3.destroy()]);
  });

  it('refuses to start with STORAGE_DRIVER=s3 and no S3_BUCKET, naming the setting', async () => {
    const { S3_BUCKET: _bucket, ...withoutBucket } = s3.env;
    const broken = AppProcess.start('api', { ...environment.env(withoutBucket), PORT: String(await freePort()) });
    await expect(broken.waitUntil(() => false, 30_000)).rejects.toThrow(/exited during start-up[\s\S]*"S3_BUCKET" is required/);
  });

  it('stores uploads and thumbnails in the bucket and serves them', async () => {
    const user = await registerUser(http, 's3');
    const image = (await user.client.upload('/v1/images', await gradientPng(64, 48))).body;
    expect(s3.requests.some((r) => r.startsWith(`PUT /${s3.bucket}/blobs/${image.sha256.slice(0, 2)}/`))).toBe(true);
    const original = await user.client.bytes(`/v1/images/${image.id}/content`);
    expect(original.status).toBe(200);
    const thumb = await user.client.bytes(`/v1/images/${image.id}/content?format=webp&width=16`);
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 16 });
    expect(s3.requests.some((r) => r.includes(`${image.sha256}-variants/w16.webp`))).toBe(true);
  });

  it('answers 503 STORAGE_UNAVAILABLE while the store is down, and recovers', async () => {
    const user = await registerUser(http, 's3-outage');
    const image = (await user.client.upload('/v1/images', await gradientPng(20, 20))).body;
    await s3.stop();
    try {
      const upload = await user.client.upload('/v1/images', await gradientPng(21, 21));
      expect(upload.status).toBe(503);
      expect(upload.body.code).toBe('STORAGE_UNAVAILABLE');
      const content = await user.client.get(`/v1/images/${image.id}/content`);
      expect(content.status).toBe(503);
      expect((await fetch(`${http.baseUrl}/health/live`)).ok).toBe(true); // still up
    } finally {
      await s3.start();
    }
    expect((await user.client.bytes(`/v1/images/${image.id}/content`)).status).toBe(200);
  });
});
