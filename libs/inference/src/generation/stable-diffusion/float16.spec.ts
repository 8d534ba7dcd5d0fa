import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from './float16';

const isNaNBits = (bits: number) => (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;

describe('float32 → float16 (expected bits from numpy: np.float32(x).astype(np.float16))', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [-3.14159, 0xc248],
    [1 / 3, 0x3555],
    [65504, 0x7bff], // the largest half
    [65519, 0x7bff], // just below the midpoint to 65536: rounds down
    [65520, 0x7c00], // the midpoint rounds to even, i.e. overflows to +Infinity
    [1e6, 0x7c00],
    [-1e6, 0xfc00],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // the smallest normal
    [2 ** -14 - 2 ** -25, 0x0400], // rounds up across the subnormal/normal boundary
    [2 ** -24, 0x0001], // the smallest subnormal
    [2 ** -24 * 2.5, 0x0002], // subnormal tie: to even
    [2 ** -24 * 3.5, 0x0004],
    [2 ** -25, 0x0000], // half the smallest subnormal: tie to even, zero
    [3 * 2 ** -26, 0x0001],
    [1e-8, 0x0000],
    [-1e-8, 0x8000], // underflow keeps the sign
    [1 + 2 ** -11, 0x3c00], // normal tie: to even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // normal tie: to even (up)
  ])('%s → %s', (value, bits) => {
    expect(toFloat16Bits(value)).toBe(bits);
  });

  it('keeps NaN a quiet NaN, with its sign', () => {
    expect(isNaNBits(toFloat16Bits(Number.NaN))).toBe(true);
    expect(toFloat16Bits(Number.NaN) & 0x0200).toBe(0x0200);
    const negativeNaN = new Float32Array(new Uint32Array([0xffc00001]).buffer)[0];
    expect(toFloat16Bits(negativeNaN) & 0x8000).toBe(0x8000);
    // A signalling NaN whose payload sits only in the low bits must not become Infinity.
    const lowPayload = new Float32Array(new Uint32Array([0x7f800001]).buffer)[0];
    expect(isNaNBits(toFloat16Bits(lowPayload))).toBe(true);
  });

  it('rounds every float32 to the nearest half (ties to the even one), checked against the neighbours', () => {
    let state = 12345;
    const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const wrong: number[] = [];
    for (let n = 0; n < 20000; n++) {
      const x = Math.fround((random() - 0.5) * 2 ** (random() * 44 - 28));
      const bits = toFloat16Bits(x);
      const h = fromFloat16Bits(bits);
      const up = fromFloat16Bits(bits + 1);
      const down = bits & 0x7fff ? fromFloat16Bits(bits - 1) : -h;
      const error = Math.abs(x - h);
      if (error > Math.abs(x - up) || error > Math.abs(x - down)) wrong.push(x);
    }
    expect(wrong).toEqual([]);
  });
});

describe('float16 → float32', () => {
  it.each([
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24], // the largest subnormal
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('%s → %s', (bits, value) => {
    expect(fromFloat16Bits(bits)).toBe(value);
  });

  it('gives -0 and NaN', () => {
    expect(Object.is(fromFloat16Bits(0x8000), -0)).toBe(true);
    expect(fromFloat16Bits(0x7e00)).toBeNaN();
    expect(fromFloat16Bits(0xfd01)).toBeNaN();
  });

  it('round-trips every one of the 65536 half values (NaNs stay NaN)', () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, i) => i);
    const widened = float16ToFloat32(all);
    const back = float32ToFloat16(widened);
    const wrong = [...all].filter((i) => (isNaNBits(i) ? !isNaNBits(back[i]) : back[i] !== i));
    expect(wrong).toEqual([]);
  });
});
