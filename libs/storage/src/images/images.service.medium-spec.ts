import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig, validateEnv } from '@atelier/platform';
import { createTestDatabase } from '../../../../test/support/test-database';
import { LocalBlobStore } from '../blobs/local-blob-store';
import { ImageEntity } from './image.entity';
import { ImagesService } from './images.service';

/** Whether an EXIF block (as sharp's metadata().exif gives it) has a GPS IFD pointer (tag 0x8825) in IFD0. */
function hasGpsIfd(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(exif.indexOf('Exif\0\0') === 0 ? 6 : 0);
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const ifd0 = little ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  for (let i = 0; i < u16(ifd0); i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

/** A 40×20 JPEG, left half red and right half blue, tagged "rotate 90° clockwise" and carrying GPS. */
async function photoWithGps(): Promise<Buffer> {
  const pixels = Buffer.alloc(40 * 20 * 3);
  for (let p = 0; p < 40 * 20; p++) pixels.set(p % 40 < 20 ? [255, 0, 0] : [0, 0, 255], p * 3);
  return sharp(pixels, { raw: { width: 40, height: 20, channels: 3 } })
    .jpeg({ quality: 95 })
    // IFD3 is libvips' name for the GPS IFD.
    .withExif({ IFD0: { Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 40/1' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

describe('ImagesService uploads (real Postgres and files)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), 'atelier-images-'));
  const blobs = new LocalBlobStore(dir);
  let images: ImagesService;

  beforeAll(async () => {
    db = await createTestDatabase([ImageEntity]);
    const config = new AppConfig(new ConfigService(validateEnv({ JWT_SECRET: 's'.repeat(32) })));
    images = new ImagesService(db.dataSource.getRepository(ImageEntity), blobs, config);
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a photo without its GPS position, with its orientation applied', async () => {
    const photo = await photoWithGps();
    const before = await sharp(photo).metadata();
    expect(before).toMatchObject({ width: 40, height: 20, orientation: 6 });
    expect(hasGpsIfd(before.exif)).toBe(true); // the fixture really carries GPS

    const view = await images.upload('00000000-0000-4000-8000-000000000001', photo, null);
    expect(view).toMatchObject({ format: 'jpeg', width: 20, height: 40 });

    const stored = (await blobs.get(view.sha256))!;
    const after = await sharp(stored).metadata();
    expect(hasGpsIfd(after.exif)).toBe(false);
    expect(after.exif?.includes('PhoneCam') ?? false).toBe(false);
    expect(after.orientation ?? 1).toBe(1);
    expect(after).toMatchObject({ width: 20, height: 40 });
    // Rotated 90° clockwise: the red left half is now on top, the blue right half below.
    const { data } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * 20 + x) * 3, (y * 20 + x) * 3 + 3)];
    expect(pixel(10, 5)[0]).toBeGreaterThan(200);
    expect(pixel(10, 34)[2]).toBeGreaterThan(200);
  });

  it('reuses the caller\'s live upload of the same content, and only theirs', async () => {
    const owner = '00000000-0000-4000-8000-000000000002';
    const other = '00000000-0000-4000-8000-000000000003';
    const png = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 9, g: 99, b: 199, alpha: 0.5 } } }).png().toBuffer();
    const first = await images.uploadOrReuse(owner, png, null);
    expect(await images.uploadOrReuse(owner, png, null)).toEqual(first);
    // A plain upload always makes a new image; another user never gets the first one.
    expect((await images.upload(owner, png, null)).id).not.toBe(first.id);
    expect((await images.uploadOrReuse(other, png, null)).id).not.toBe(first.id);
    await images.softDelete(owner, first.id);
    const afterDelete = await images.uploadOrReuse(owner, png, null);
    expect(afterDelete.id).not.toBe(first.id);
    expect(afterDelete.sha256).toBe(first.sha256);
  });

  it('stores a job output with the quality the worker measured, and shows it; other images have none', async () => {
    const owner = '00000000-0000-4000-8000-000000000004';
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    const quality = { score: 71.5, sharpness: 0.8, exposure: 0.9, noise: 0.1, colorfulness: 0.4 };
    const saved = await images.saveJobOutput({ ownerId: owner, id: '00000000-0000-4000-8000-0000000000aa' }, png, { quality });
    expect(saved.quality).toEqual(quality);
    expect((await images.get(owner, saved.id)).quality).toEqual(quality);
    const [row] = await db.dataSource.query(`SELECT (quality->>'score')::float AS score FROM images WHERE id = $1`, [saved.id]);
    expect(row.score).toBe(71.5);
    const plain = await images.saveJobOutput({ ownerId: owner, id: '00000000-0000-4000-8000-0000000000aa' }, png);
    expect((await images.get(owner, plain.id)).quality).toBeUndefined();
  });
});
