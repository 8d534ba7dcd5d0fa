import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

// Test and bench support only: real photos, and the same photos corrupted on purpose, reproducibly.

const requireFromRoot = createRequire(join(process.cwd(), 'package.json'));

/** sample1..6.jpg of @vladmandic/face-api (MIT, a devDependency): real group photos, 1920 px wide. */
export function demoPhoto(n: 1 | 2 | 3 | 4 | 5 | 6): Buffer {
  return readFileSync(join(dirname(requireFromRoot.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${n}.jpg`));
}

export interface LabelledImage {
  name: string;
  kind: 'clean' | 'clean-q50' | 'truncated' | 'truncated-reencoded' | 'byte-flipped' | 'block-shuffled';
  corrupted: boolean;
  bytes: Buffer;
}

/** A small deterministic PRNG (mulberry32), so every run corrupts the same bytes. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Three clean JPEGs per photo: the whole photo at 640 px wide and two 512×384 crops at full resolution. */
async function basePhotos(): Promise<Array<{ name: string; jpeg: Buffer }>> {
  const bases = [];
  for (const n of [1, 2, 3, 4, 5, 6] as const) {
    const photo = demoPhoto(n);
    bases.push({ name: `sample${n}-640`, jpeg: await sharp(photo).resize(640).jpeg({ quality: 90 }).toBuffer() });
    bases.push({ name: `sample${n}-crop-a`, jpeg: await sharp(photo).extract({ left: 400, top: 200, width: 512, height: 384 }).jpeg({ quality: 85 }).toBuffer() });
    bases.push({ name: `sample${n}-crop-b`, jpeg: await sharp(photo).extract({ left: 1000, top: 700, width: 512, height: 384 }).jpeg({ quality: 85 }).toBuffer() });
  }
  return bases;
}

/** The first `share` of the file, as a download cut short leaves it. */
export const truncate = (jpeg: Buffer, share: number) => jpeg.subarray(0, Math.floor(jpeg.length * share));

/** `count` random bits flipped in the entropy-coded data (after the start-of-scan header), never making a marker. */
export function flipBytes(jpeg: Buffer, count: number, random: () => number): Buffer {
  const flipped = Buffer.from(jpeg);
  const sos = flipped.indexOf(Buffer.from([0xff, 0xda]));
  const start = sos + 2 + flipped.readUInt16BE(sos + 2);
  for (let i = 0; i < count; i++) {
    const at = start + Math.floor(random() * (flipped.length - start - 2));
    const value = flipped[at] ^ (1 << Math.floor(random() * 8));
    if (flipped[at] !== 0xff && flipped[at - 1] !== 0xff && value !== 0xff) flipped[at] = value;
  }
  return flipped;
}

/** Swaps cell × cell blocks at random inside a region of about half the image, then re-encodes (JPEG q90). */
export async function shuffleBlocks(jpeg: Buffer, cell: number, random: () => number): Promise<Buffer> {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const columns = Math.floor(info.width / cell);
  const rows = Math.floor(info.height / cell);
  const first = Math.floor(rows * 0.25 * random());
  const last = Math.min(rows, first + Math.ceil(rows * 0.5));
  const cells: Array<[number, number]> = [];
  for (let r = first; r < last; r++) for (let c = 0; c < columns; c++) cells.push([c, r]);
  for (let i = cells.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    swapCells(data, info.width, cell, cells[i], cells[j]);
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

function swapCells(data: Buffer, width: number, cell: number, [ac, ar]: [number, number], [bc, br]: [number, number]) {
  for (let y = 0; y < cell; y++) {
    const a = ((ar * cell + y) * width + ac * cell) * 3;
    const b = ((br * cell + y) * width + bc * cell) * 3;
    const row = Buffer.from(data.subarray(a, a + cell * 3));
    data.copy(data, a, b, b + cell * 3);
    row.copy(data, b);
  }
}

/**
 * The measurement set: 18 clean photos, the same re-encoded at JPEG quality 50 (clean but
 * blocky), and four corrupted versions of each: truncated (30–80 % kept), truncated then
 * decoded and saved again (what an upload of a broken file's screenshot looks like), 8 bits
 * flipped, and 16- or 32-pixel blocks shuffled.
 */
export async function corruptionSet(): Promise<LabelledImage[]> {
  const random = prng(19);
  const set: LabelledImage[] = [];
  for (const { name, jpeg } of await basePhotos()) {
    const cut = truncate(jpeg, 0.3 + 0.5 * random());
    set.push(
      { name, kind: 'clean', corrupted: false, bytes: jpeg },
      { name, kind: 'clean-q50', corrupted: false, bytes: await sharp(jpeg).jpeg({ quality: 50 }).toBuffer() },
      { name, kind: 'truncated', corrupted: true, bytes: cut },
      { name, kind: 'truncated-reencoded', corrupted: true, bytes: await sharp(cut, { failOn: 'none' }).jpeg({ quality: 90 }).toBuffer() },
      { name, kind: 'byte-flipped', corrupted: true, bytes: flipBytes(jpeg, 8, random) },
      { name, kind: 'block-shuffled', corrupted: true, bytes: await shuffleBlocks(jpeg, random() < 0.5 ? 16 : 32, random) },
    );
  }
  return set;
}
