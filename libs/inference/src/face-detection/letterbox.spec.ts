import { describe, expect, it } from 'vitest';
import { computeLetterbox, toImagePixels } from './letterbox';

describe('computeLetterbox', () => {
  it('fits a landscape image to the width and centres it vertically', () => {
    expect(computeLetterbox(1920, 1280, 128)).toEqual({
      size: 128,
      imageWidth: 1920,
      imageHeight: 1280,
      scaledWidth: 128,
      scaledHeight: 85,
      padLeft: 0,
      padTop: 21,
    });
  });

  it('fits a portrait image to the height and centres it horizontally', () => {
    const box = computeLetterbox(300, 600, 128);
    expect([box.scaledWidth, box.scaledHeight, box.padLeft, box.padTop]).toEqual([64, 128, 32, 0]);
  });

  it('maps letterbox corners back to image corners', () => {
    const box = computeLetterbox(300, 600, 128);
    expect(toImagePixels(box, 32 / 128, 0)).toEqual({ x: 0, y: 0 });
    expect(toImagePixels(box, 96 / 128, 1)).toEqual({ x: 300, y: 600 });
    expect(toImagePixels(box, 0.5, 0.5)).toEqual({ x: 150, y: 300 });
  });

  it('rejects empty images', () => {
    expect(() => computeLetterbox(0, 10, 128)).toThrow(/Invalid image size/);
  });
});
