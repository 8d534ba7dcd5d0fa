import { describe, expect, it } from 'vitest';
import { computeLetterbox } from './letterbox';
import { toImageFaces } from './to-image-faces';

describe('toImageFaces', () => {
  const letterbox = computeLetterbox(300, 600, 128); // image occupies x 32..96 of the square

  it('converts to whole image pixels, clamps to the image and rounds the score', () => {
    const [face] = toImageFaces(
      [{ score: 0.87654, xMin: 0.2, yMin: 0.5, width: 0.25, height: 0.6, keypoints: [{ x: 0.5, y: 0.75 }] }],
      letterbox,
    );
    // x: (0.2*128-32)*300/64 = -30 -> 0; right edge (0.45*128-32)*300/64 = 120; bottom 1.1*600 -> 600.
    expect(face).toEqual({ box: { x: 0, y: 300, width: 120, height: 300 }, score: 0.877, keypoints: [{ x: 150, y: 450 }] });
  });

  it('drops candidates that lie entirely in the padding', () => {
    const faces = toImageFaces([{ score: 0.9, xMin: 0, yMin: 0.2, width: 0.2, height: 0.2, keypoints: [] }], letterbox);
    expect(faces).toEqual([]);
  });
});
