import { describe, expect, it } from 'vitest';
import { centredRegion, facesFocus, largestRegion } from './smart-crop-region';

describe('smart-crop regions', () => {
  it('takes the largest region of the target aspect ratio', () => {
    expect(largestRegion(1000, 500, 100, 100)).toEqual({ width: 500, height: 500 });
    expect(largestRegion(400, 900, 200, 100)).toEqual({ width: 400, height: 200 });
    expect(largestRegion(640, 480, 640, 480)).toEqual({ width: 640, height: 480 });
  });

  it('centres it on a point, moved back inside the image at the edges', () => {
    expect(centredRegion(1000, 500, { width: 500, height: 500 }, 500, 250)).toEqual({ left: 250, top: 0, width: 500, height: 500 });
    expect(centredRegion(1000, 500, { width: 500, height: 500 }, 950, 250)).toEqual({ left: 500, top: 0, width: 500, height: 500 });
    expect(centredRegion(1000, 500, { width: 500, height: 500 }, 10, 250)).toEqual({ left: 0, top: 0, width: 500, height: 500 });
  });

  const faces = [{ x: 100, y: 100, width: 50, height: 50 }, { x: 300, y: 120, width: 60, height: 60 }];

  it('keeps a group of faces together when it fits: the centre of the box around all of them', () => {
    expect(facesFocus(faces, { width: 300, height: 300 })).toEqual({ x: 230, y: 140 });
  });

  it('centres on the largest face when the group is wider than the crop', () => {
    expect(facesFocus(faces, { width: 200, height: 300 })).toEqual({ x: 330, y: 150 });
  });
});
