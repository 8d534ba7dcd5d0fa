import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCache } from '../runtime/model-cache';
import { facePhoto, prepareTestModels, removeTempDirs, testModelCache } from '../testing/test-models';
import type { DetectedFace } from './face-detection-result';
import { FaceDetector } from './face-detector';

let detector: FaceDetector;
let modelsDir: string;
let cache: ModelCache;
/** 600x450 around the clearest face of sample3 (the centre woman); no other face in it. */
let oneFace: Buffer;

beforeAll(async () => {
  modelsDir = await prepareTestModels();
  cache = testModelCache(modelsDir).cache;
  detector = new FaceDetector(cache, { executionProviders: ['cpu'] });
  oneFace = await sharp(facePhoto(3)).extract({ left: 915, top: 160, width: 600, height: 450 }).png().toBuffer();
});

afterAll(async () => {
  await cache.close();
  removeTempDirs();
});

function expectInside(face: DetectedFace, width: number, height: number): void {
  const { x, y, width: w, height: h } = face.box;
  expect(x).toBeGreaterThanOrEqual(0);
  expect(y).toBeGreaterThanOrEqual(0);
  expect(x + w).toBeLessThanOrEqual(width);
  expect(y + h).toBeLessThanOrEqual(height);
  for (const k of face.keypoints) {
    expect(k.x).toBeGreaterThanOrEqual(x - w / 2);
    expect(k.x).toBeLessThanOrEqual(x + w * 1.5);
  }
}

describe('FaceDetector on real photos', () => {
  it('finds several faces in a group photo, each a plausible face-sized box', async () => {
    const { faces } = await detector.detect(readFileSync(facePhoto(6))); // 1920x1537, four women
    expect(faces.length).toBeGreaterThanOrEqual(3);
    for (const face of faces) {
      expectInside(face, 1920, 1537);
      expect(face.keypoints).toHaveLength(6);
      expect(face.score).toBeGreaterThanOrEqual(0.5);
      expect(face.box.width).toBeGreaterThan(150); // faces are ~250 px here
      expect(face.box.width).toBeLessThan(500);
      expect(face.box.height / face.box.width).toBeCloseTo(1, 0);
    }
    expect(faces.map((f) => f.score)).toEqual([...faces.map((f) => f.score)].sort((a, b) => b - a));
  });

  it('finds exactly one face in a one-face crop, covering a reasonable area', async () => {
    const { faces } = await detector.detect(oneFace);
    expect(faces).toHaveLength(1);
    const [face] = faces;
    expectInside(face, 600, 450);
    expect(face.score).toBeGreaterThan(0.8);
    const area = (face.box.width * face.box.height) / (600 * 450);
    expect(area).toBeGreaterThan(0.1);
    expect(area).toBeLessThan(0.6);
    // The eyes sit above the mouth, and the right eye (subject's) is on the image's left.
    const [rightEye, leftEye, , mouth] = face.keypoints;
    expect(rightEye.x).toBeLessThan(leftEye.x);
    expect(Math.max(rightEye.y, leftEye.y)).toBeLessThan(mouth.y);
  });

  it('maps boxes back through the letterbox: padding the image shifts the box by the padding', async () => {
    const [plain] = (await detector.detect(oneFace)).faces;
    const padded = await sharp(oneFace)
      .extend({ left: 500, top: 120, right: 0, bottom: 0, background: '#808080' })
      .png()
      .toBuffer(); // 1100x570: a different aspect and scale in the letterbox
    const faces = (await detector.detect(padded)).faces;
    expect(faces).toHaveLength(1);
    const tolerance = plain.box.width * 0.08;
    expect(Math.abs(faces[0].box.x - (plain.box.x + 500))).toBeLessThan(tolerance);
    expect(Math.abs(faces[0].box.y - (plain.box.y + 120))).toBeLessThan(tolerance);
    expect(Math.abs(faces[0].box.width - plain.box.width)).toBeLessThan(tolerance);
    expectInside(faces[0], 1100, 570);
  });

  it('applies EXIF orientation: a rotated file tagged to display upright gives the upright boxes', async () => {
    const [upright] = (await detector.detect(oneFace)).faces;
    // Pixels stored turned 90° anticlockwise; orientation 6 tells viewers to turn them back.
    const stored = await sharp(oneFace).rotate(270).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(stored).metadata()).width).toBe(450);
    const faces = (await detector.detect(stored)).faces;
    expect(faces).toHaveLength(1);
    const tolerance = upright.box.width * 0.05;
    expect(Math.abs(faces[0].box.x - upright.box.x)).toBeLessThan(tolerance);
    expect(Math.abs(faces[0].box.y - upright.box.y)).toBeLessThan(tolerance);
    expectInside(faces[0], 600, 450);
  });

  it('returns no faces for an image without any', async () => {
    const blank = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3366aa' } }).png().toBuffer();
    expect((await detector.detect(blank)).faces).toEqual([]);
  });

  it('shares one session load between concurrent first calls', async () => {
    const { cache: freshCache } = testModelCache(modelsDir);
    const fresh = new FaceDetector(freshCache, { executionProviders: ['cpu'] });
    const [a, b] = await Promise.all([fresh.detect(oneFace), fresh.detect(oneFace)]);
    expect(a).toEqual(b);
    expect(await fresh.executionProvider()).toBe('cpu');
    expect(freshCache.counters()).toEqual([expect.objectContaining({ modelId: 'blazeface-front', loads: 1 })]);
    await freshCache.close();
  });

  it('rejects input that is not an image with a clear message', async () => {
    await expect(detector.detect(Buffer.from('not an image'))).rejects.toThrow(/Cannot read image/);
  });
});
