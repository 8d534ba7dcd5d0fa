import { describe, expect, it } from 'vitest';
import { BLAZEFACE_FRONT_ANCHORS, generateAnchors } from './blazeface-anchors';

describe('generateAnchors (BlazeFace front)', () => {
  const anchors = generateAnchors(BLAZEFACE_FRONT_ANCHORS);

  it('yields 896 anchors: 16x16 cells x 2, then 8x8 cells x 6', () => {
    expect(anchors).toHaveLength(896);
    expect(new Set(anchors.slice(0, 512).map((a) => `${a.x},${a.y}`)).size).toBe(256);
    expect(new Set(anchors.slice(512).map((a) => `${a.x},${a.y}`)).size).toBe(64);
  });

  it('puts anchors at cell centres, row by row', () => {
    expect(anchors[0]).toEqual({ x: 0.5 / 16, y: 0.5 / 16 });
    expect(anchors[1]).toEqual(anchors[0]);
    expect(anchors[2]).toEqual({ x: 1.5 / 16, y: 0.5 / 16 });
    expect(anchors[32]).toEqual({ x: 0.5 / 16, y: 1.5 / 16 });
    expect(anchors[511]).toEqual({ x: 15.5 / 16, y: 15.5 / 16 });
    for (let i = 512; i < 518; i++) expect(anchors[i]).toEqual({ x: 0.5 / 8, y: 0.5 / 8 });
    expect(anchors[518]).toEqual({ x: 1.5 / 8, y: 0.5 / 8 });
    expect(anchors[895]).toEqual({ x: 7.5 / 8, y: 7.5 / 8 });
  });

  it('merges consecutive layers with the same stride', () => {
    const merged = generateAnchors({ inputSize: 64, strides: [32, 32], anchorsPerLayer: 1, anchorOffset: 0.5 });
    expect(merged).toHaveLength(2 * 2 * 2);
  });
});
