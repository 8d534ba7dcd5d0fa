import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig, validateEnv } from '@atelier/platform';
import { gradientPng } from '../../../../test/support/images';
import { createTestDatabase } from '../../../../test/support/test-database';
import { LocalBlobStore } from '../blobs/local-blob-store';
import { ImageEntity } from './image.entity';
import { ImagePurge } from './image-purge';
import { ImagesService } from './images.service';

describe('ImagesService.list: the image library (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), 'atelier-library-'));
  let images: ImagesService;
  const owner = randomUUID();
  const jobA = randomUUID(); // no jobs row at all: as after the job retention purged it
  const jobB = randomUUID();
  const made: Array<{ id: string; source: string }> = [];

  beforeAll(async () => {
    db = await createTestDatabase([ImageEntity]);
    const config = new AppConfig(new ConfigService(validateEnv({ JWT_SECRET: 's'.repeat(32) })));
    images = new ImagesService(db.dataSource.getRepository(ImageEntity), new LocalBlobStore(dir), config);
    // Interleaved uploads and outputs of two jobs, each content distinct.
    for (let i = 0; i < 7; i++) {
      const bytes = await gradientPng(20 + i, 10);
      const view = i % 3 === 0 ? await images.upload(owner, bytes, null) : await images.saveJobOutput({ ownerId: owner, id: i % 3 === 1 ? jobA : jobB }, bytes);
      made.push(view);
    }
    // Two rows in the same millisecond: the cursor must neither skip nor repeat either.
    await db.dataSource.query(`UPDATE images SET created_at = (SELECT created_at FROM images WHERE id = $1) WHERE id = $2`, [made[3].id, made[4].id]);
    await images.upload(randomUUID(), await gradientPng(33, 10), null); // someone else's
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const allPages = async (filter: Parameters<ImagesService['list']>[1] = {}) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await images.list(owner, { ...filter, cursor, limit: 2 });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  };

  it('pages through all of the owner’s images newest first, each once', async () => {
    const ids = await allPages();
    expect(new Set(ids).size).toBe(7);
    expect(new Set(ids)).toEqual(new Set(made.map((m) => m.id)));
    const rows = (await db.dataSource.query(`SELECT id FROM images WHERE owner_id = $1 ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC`, [owner])) as Array<{ id: string }>;
    expect(ids).toEqual(rows.map((r) => r.id));
  });

  it('filters by source and by job, naming generated images "generated"', async () => {
    const uploads = await images.list(owner, { source: 'upload' });
    expect(uploads.items.map((i) => i.id).sort()).toEqual(made.filter((m) => m.source === 'upload').map((m) => m.id).sort());
    expect(uploads.items.every((i) => i.source === 'upload' && i.jobId === undefined)).toBe(true);
    const generated = await allPages({ source: 'generated' });
    expect(generated).toHaveLength(4);
    const ofA = await images.list(owner, { jobId: jobA });
    expect(ofA.items).toHaveLength(2);
    expect(ofA.items.every((i) => i.jobId === jobA && i.source === 'generated')).toBe(true);
    expect((await images.list(owner, { jobId: jobA, source: 'upload' })).items).toEqual([]);
  });

  it('leaves deleted images out and refuses a cursor it did not issue', async () => {
    await images.softDelete(owner, made[0].id);
    expect(await allPages()).not.toContain(made[0].id);
    await expect(images.list(owner, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });
});

describe('ImagesService storage quota (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), 'atelier-quota-'));
  let images: ImagesService;
  let purge: ImagePurge;

  beforeAll(async () => {
    db = await createTestDatabase([ImageEntity]);
    const config = new AppConfig(new ConfigService(validateEnv({ JWT_SECRET: 's'.repeat(32) })));
    const blobs = new LocalBlobStore(dir);
    images = new ImagesService(db.dataSource.getRepository(ImageEntity), blobs, config);
    purge = new ImagePurge(db.dataSource, blobs);
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what would go over the quota, for uploads and job outputs, storing nothing', async () => {
    const owner = randomUUID();
    const first = await images.upload(owner, await gradientPng(40, 40), 10_000_000);
    expect(await images.usage(owner)).toBe(first.bytes);
    const quota = first.bytes + 10; // room for nothing of that size
    const second = await gradientPng(41, 40);
    await expect(images.upload(owner, second, quota)).rejects.toMatchObject({
      code: 'STORAGE_QUOTA_EXCEEDED',
      details: { quotaBytes: quota, usedBytes: first.bytes, requiredBytes: expect.any(Number) },
    });
    await expect(images.saveJobOutput({ id: randomUUID(), ownerId: owner, storageQuotaBytes: quota }, second)).rejects.toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED' });
    await expect(images.uploadOrReuse(owner, second, quota)).rejects.toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED' });
    expect((await images.list(owner)).items.map((i) => i.id)).toEqual([first.id]);
    // The same content again is reused by uploadOrReuse: no new bytes, so no refusal.
    expect((await images.uploadOrReuse(owner, await gradientPng(40, 40), quota)).id).toBe(first.id);
    // Another user's usage is their own: a quota that fits exactly this image takes it for them, not for the owner.
    const required = (await images.upload(owner, second, quota).catch((error: { details: { requiredBytes: number } }) => error)) as { details: { requiredBytes: number } };
    await expect(images.upload(owner, second, required.details.requiredBytes)).rejects.toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED' });
    await expect(images.upload(randomUUID(), second, required.details.requiredBytes)).resolves.toMatchObject({ width: 41 });
    // An output without a quota is never refused.
    await expect(images.saveJobOutput({ id: randomUUID(), ownerId: owner }, second)).resolves.toMatchObject({ source: 'generated' });
  });

  it('counts a deleted image until the purge removes it, then frees its bytes', async () => {
    const owner = randomUUID();
    const kept = await images.upload(owner, await gradientPng(30, 30), null);
    const deleted = await images.upload(owner, await gradientPng(31, 30), null);
    await images.softDelete(owner, deleted.id);
    expect(await images.usage(owner)).toBe(kept.bytes + deleted.bytes);
    await expect(images.upload(owner, await gradientPng(32, 30), kept.bytes + deleted.bytes)).rejects.toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED' });
    await purge.purge(30); // not old enough yet
    expect(await images.usage(owner)).toBe(kept.bytes + deleted.bytes);
    await purge.purge(0);
    expect(await images.usage(owner)).toBe(kept.bytes);
  });
});
