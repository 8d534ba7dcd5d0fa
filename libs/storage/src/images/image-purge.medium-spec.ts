import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/support/test-database';
import { gradientPng } from '../../../../test/support/images';
import { LocalBlobStore } from '../blobs/local-blob-store';
import { ImagePurge } from './image-purge';

describe('ImagePurge (real Postgres and files)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), 'atelier-purge-'));
  const blobs = new LocalBlobStore(dir);

  beforeAll(async () => {
    db = await createTestDatabase([]);
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insertImage = async (sha: string, deletedDaysAgo: number | null) =>
    db.environment.query(
      `INSERT INTO images (owner_id, sha256, format, width, height, bytes, source, deleted_at)
       VALUES (gen_random_uuid(), $1, 'png', 1, 1, 1, 'upload', CASE WHEN $2::int IS NULL THEN NULL ELSE now() - make_interval(days => $2::int) END)`,
      [sha, deletedDaysAgo],
    );

  it('removes an unreferenced blob with its variants and keeps one a live image shares', async () => {
    const lonely = await blobs.put(await gradientPng(10, 10));
    const shared = await blobs.put(await gradientPng(12, 12));
    await blobs.putKey(`${lonely.sha256}/w8.webp`, Buffer.from('variant'));
    await insertImage(lonely.sha256, 40);
    await insertImage(shared.sha256, 40);
    await insertImage(shared.sha256, null); // the same bytes, still in use
    await insertImage(lonely.sha256, 1); // deleted recently: within retention

    let result = await new ImagePurge(db.dataSource, blobs).purge(30);
    expect(result.blobs).toBe(0); // the recent soft-deleted row still references `lonely`
    await db.environment.query(`UPDATE images SET deleted_at = now() - interval '40 days' WHERE deleted_at IS NOT NULL`);
    result = await new ImagePurge(db.dataSource, blobs).purge(30);
    expect(result.blobs).toBe(1);
    expect(await blobs.get(lonely.sha256)).toBeNull();
    expect(await blobs.get(`${lonely.sha256}/w8.webp`)).toBeNull();
    expect(await blobs.get(shared.sha256)).not.toBeNull();
    expect(await db.environment.query('SELECT sha256 FROM images')).toEqual([{ sha256: shared.sha256 }]);
  });
});
