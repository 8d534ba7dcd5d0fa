import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { ModelCache } from '../runtime/model-cache';
import { facePhoto, prepareTestModels, removeTempDirs, testModelCache } from '../testing/test-models';
import { ContentModerator } from './content-moderator';

describe('ContentModerator (nsfwjs MobileNetV2, imported)', () => {
  let cache: ModelCache;
  let moderator: ContentModerator;

  beforeAll(async () => {
    cache = testModelCache(await prepareTestModels()).cache;
    moderator = new ContentModerator(cache);
  });
  afterAll(async () => {
    await cache.close();
    removeTempDirs();
  });

  // The six demo photos are clothed people (party and costume shots): none is porn or hentai.
  // The model calls five of them "drawing" (it is unsure of dim, retouched photos), which
  // matters to no policy: only porn + hentai (and optionally sexy) count.
  it('gives real photos of clothed people low porn + hentai scores, the five scores summing to 1', async () => {
    for (const n of [1, 2, 3, 4, 5, 6] as const) {
      const { labels, model } = await moderator.classify(await readFile(facePhoto(n)));
      expect(model).toBe('nsfw-mobilenet-v2');
      expect(Object.keys(labels)).toEqual(['drawing', 'hentai', 'neutral', 'porn', 'sexy']);
      expect(Object.values(labels).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      expect(labels.porn + labels.hentai).toBeLessThan(0.3);
      expect(labels.sexy).toBeLessThan(0.1);
    }
  });

  it('is deterministic: the same image gives the same scores', async () => {
    const bytes = await readFile(facePhoto(6));
    expect(await moderator.classify(bytes)).toEqual(await moderator.classify(bytes));
  });
});
