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
      const view = i % 3 === 0 ? await images.upload(owner, bytes) : await images.saveJobOutput(owner, i % 3 === 1 ? jobA : jobB, bytes);
      made.push(view);
    }
    // Two rows in the same millisecond: the cursor must neither skip nor repeat either.
    await db.dataSource.query(`UPDATE images SET created_at = (SELECT created_at FROM images WHERE id = $1) WHERE id = $2`, [made[3].id, made[4].id]);
    await images.upload(randomUUID(), await gradientPng(33, 10)); // someone else's
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
