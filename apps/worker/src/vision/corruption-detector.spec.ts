import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectCorruption, type CorruptionReport } from './corruption-detector';
import { corruptionSet, demoPhoto, type LabelledImage } from './testing/corrupted-photos';

/**
 * The detector's rates over real photos (face-api's demo photos) and the same photos corrupted
 * on purpose (testing/corrupted-photos.ts): the figures docs/MODELS.md and bench/RESULTS.md give.
 */
describe('detectCorruption over clean and corrupted real photos', () => {
  let results: Array<LabelledImage & { report: CorruptionReport }>;

  beforeAll(async () => {
    const set = await corruptionSet();
    results = [];
    for (const image of set) results.push({ ...image, report: await detectCorruption(image.bytes) });
    const byKind = new Map<string, { flagged: number; total: number }>();
    for (const r of results) {
      const entry = byKind.get(r.kind) ?? { flagged: 0, total: 0 };
      entry.total++;
      if (r.report.corrupted) entry.flagged++;
      byKind.set(r.kind, entry);
    }
    console.log(`corruption detector, flagged per kind: ${[...byKind].map(([kind, e]) => `${kind} ${e.flagged}/${e.total}`).join(', ')}`);
  }, 120_000);

  const rate = (filter: (r: (typeof results)[number]) => boolean) => {
    const chosen = results.filter(filter);
    return chosen.filter((r) => r.report.corrupted).length / chosen.length;
  };

  it('flags at most 3 % of the clean photos, re-encoded at quality 50 included (false positives)', () => {
    expect(results.filter((r) => !r.corrupted)).toHaveLength(36);
    expect(rate((r) => !r.corrupted)).toBeLessThanOrEqual(0.03);
  });

  it('flags at least 95 % of the corrupted ones overall (true positives)', () => {
    expect(results.filter((r) => r.corrupted)).toHaveLength(72);
    expect(rate((r) => r.corrupted)).toBeGreaterThanOrEqual(0.95);
  });

  it('flags every truncated file, whether as the file or decoded and saved again', () => {
    expect(rate((r) => r.kind === 'truncated')).toBe(1);
    expect(rate((r) => r.kind === 'truncated-reencoded')).toBe(1);
    for (const r of results.filter((r) => r.kind === 'truncated')) expect(r.report.reasons).toEqual(expect.arrayContaining(['truncated', 'grey-blocks']));
  });

  it('flags at least 95 % of block-shuffled and 80 % of byte-flipped photos', () => {
    expect(rate((r) => r.kind === 'block-shuffled')).toBeGreaterThanOrEqual(0.95);
    expect(rate((r) => r.kind === 'byte-flipped')).toBeGreaterThanOrEqual(0.8);
  });

  it('does not flag plain pictures: one flat colour, or a photo above a black band', async () => {
    const blue = await sharp({ create: { width: 200, height: 120, channels: 3, background: '#3050c0' } }).png().toBuffer();
    expect(await detectCorruption(blue)).toMatchObject({ corrupted: false, reasons: [] });
    const photo = await sharp(demoPhoto(4)).resize(480).jpeg().toBuffer();
    const banded = await sharp(photo).extend({ bottom: 80, background: '#000000' }).jpeg({ quality: 90 }).toBuffer();
    expect(await detectCorruption(banded)).toMatchObject({ corrupted: false });
  });

  it('answers undecodable for bytes that are no image at all', async () => {
    expect(await detectCorruption(Buffer.from('not an image at all'))).toMatchObject({ corrupted: true, reasons: ['undecodable'] });
  });
});
