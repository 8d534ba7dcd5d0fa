import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@atelier/platform';
import { FakeS3 } from '../../../../test/support/fake-s3';
import { S3BlobStore } from './s3-blob-store';

describe('S3BlobStore (s3rver, a real S3-compatible HTTP server on loopback)', () => {
  const s3 = new FakeS3();
  let store: S3BlobStore;

  beforeAll(async () => {
    await s3.start();
    // The production retry policy (the SDK's standard strategy, 3 attempts), not retries turned off: S3 may answer
    // a transient 500 that any S3 client retries, and s3rver does so under load when sibling keys are deleted at once.
    store = new S3BlobStore({ ...s3.settings, connectionTimeoutMs: 1000 });
  });
  afterAll(async () => {
    store?.close();
    await s3.destroy();
  });

  const puts = () => s3.requests.filter((r) => r.startsWith('PUT ')).length;

  it('stores by SHA-256 under blobs/ab/cd/<sha>, reads back, deletes', async () => {
    const bytes = Buffer.from('round trip bytes');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(await store.put(bytes)).toEqual({ sha256: sha, bytes: bytes.length });
    const key = `blobs/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
    expect(s3.requests.some((r) => r.startsWith(`PUT /${s3.bucket}/${key}`))).toBe(true);
    expect((await store.get(sha))?.equals(bytes)).toBe(true);
    await store.delete(sha);
    expect(await store.get(sha)).toBeNull();
    await store.delete(sha); // deleting twice is fine
  });

  it('writes the same bytes once', async () => {
    const bytes = Buffer.from('deduplicated bytes');
    const before = puts();
    const first = await store.put(bytes);
    const second = await store.put(Buffer.from(bytes));
    expect(second.sha256).toBe(first.sha256);
    expect(puts() - before).toBe(1);
  });

  it('answers null for a missing blob or variant', async () => {
    expect(await store.get('0'.repeat(64))).toBeNull();
    expect(await store.get(`${'0'.repeat(64)}/w16.webp`)).toBeNull();
  });

  it('keeps variants beside their blob and deletes them with it', async () => {
    const { sha256 } = await store.put(Buffer.from('original with variants'));
    await store.putKey(`${sha256}/w8.webp`, Buffer.from('small'));
    await store.putKey(`${sha256}/w16.png`, Buffer.from('larger'));
    expect((await store.get(`${sha256}/w8.webp`))?.toString()).toBe('small');
    await store.deleteWithVariants(sha256);
    expect(await store.get(sha256)).toBeNull();
    expect(await store.get(`${sha256}/w8.webp`)).toBeNull();
    expect(await store.get(`${sha256}/w16.png`)).toBeNull();
  });

  it('retries a transient 500 InternalError, as any S3 client does, instead of failing the delete', async () => {
    const { sha256 } = await store.put(Buffer.from('deleted despite one server fault'));
    const path = `/${s3.bucket}/blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
    const deletesOfBlob = () => s3.requests.filter((r) => r.startsWith(`DELETE ${path}`)).length;
    s3.failNext((r) => r.method === 'DELETE' && r.url.startsWith(path));
    await store.delete(sha256);
    expect(deletesOfBlob()).toBe(2); // the faulted attempt, then the retry that deleted it
    expect(await store.get(sha256)).toBeNull();
  });

  it('refuses keys outside the layout', async () => {
    await expect(store.get('../etc/passwd')).rejects.toThrow(/invalid blob key/);
  });

  it('turns an endpoint that is down into 503 STORAGE_UNAVAILABLE, not a crash', async () => {
    const { sha256 } = await store.put(Buffer.from('written before the outage'));
    await s3.stop();
    try {
      for (const call of [() => store.get(sha256), () => store.put(Buffer.from('during the outage')), () => store.deleteWithVariants(sha256)]) {
        const error = await call().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ kind: 'unavailable', code: 'STORAGE_UNAVAILABLE' });
      }
    } finally {
      await s3.start(); // same port and files: the blob is back
    }
    expect((await store.get(sha256))?.toString()).toBe('written before the outage');
  });
});
