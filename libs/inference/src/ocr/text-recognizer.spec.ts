import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCache } from '../runtime/model-cache';
import { prepareTestModels, removeTempDirs, testModelCache } from '../testing/test-models';
import { TextRecognizer } from './text-recognizer';

const WIDTH = 800;
const HEIGHT = 200;

/** Two lines of black text on white, in DejaVu Sans / Liberation Sans (whichever fontconfig has). */
function twoLines(): Promise<Buffer> {
  const text = (y: number, s: string) => `<text x="40" y="${y}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="44" fill="black">${s}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="white"/>${text(75, 'HELLO WORLD 2026')}${text(160, 'Atelier OCR test')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();

let cache: ModelCache;
let recognizer: TextRecognizer;

beforeAll(async () => {
  cache = testModelCache(await prepareTestModels()).cache;
  recognizer = new TextRecognizer(cache);
});

afterAll(async () => {
  await cache.close();
  removeTempDirs();
});

describe('TextRecognizer (PaddleOCR PP-OCRv4, real models)', () => {
  it('reads two rendered lines, top to bottom, with boxes inside the image', async () => {
    const result = await recognizer.recognize(await twoLines());
    expect(result.lines.map((l) => squash(l.text)), JSON.stringify(result)).toEqual(['helloworld2026', 'atelierocrtest']);
    expect(result.text).toBe(result.lines.map((l) => l.text).join('\n'));
    for (const line of result.lines) {
      expect(line.confidence).toBeGreaterThan(0.8);
      expect(line.box).toHaveLength(4);
      for (const [x, y] of line.box) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(WIDTH);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(HEIGHT);
      }
    }
    const [first, second] = result.lines.map((l) => l.box);
    expect(Math.max(...first.map((p) => p[1]))).toBeLessThanOrEqual(Math.min(...second.map((p) => p[1])) + 5);
    expect(first[0][1]).toBeLessThan(75);
    expect(second[2][1]).toBeGreaterThan(140);
    expect(cache.status('paddleocr-v4')).toMatchObject({ state: 'hot', provider: 'cpu', healthy: true });
  });

  it('reads upside-down text the right way round (the direction classifier turns it)', async () => {
    const result = await recognizer.recognize(await sharp(await twoLines()).rotate(180).png().toBuffer());
    expect(result.lines.map((l) => squash(l.text)), JSON.stringify(result)).toEqual(['atelierocrtest', 'helloworld2026']);
  });

  it('finds no lines in a blank image', async () => {
    const blank = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#ffffff' } }).png().toBuffer();
    expect(await recognizer.recognize(blank)).toEqual({ text: '', lines: [] });
  });
});
