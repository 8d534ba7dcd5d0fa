import { describe, expect, it } from 'vitest';
import type { AppConfig } from '@atelier/platform';
import { SignedImageUrls } from './signed-image-urls';

const ID = '0b7c2a4e-2f3d-4c5b-9a8e-1d2c3b4a5f60';
const urls = (window: number, base = '') => new SignedImageUrls({ jwtSecret: 's'.repeat(32), signedUrlTtlSeconds: window, publicImageBaseUrl: base } as AppConfig);
const expiresOf = (url: string) => Number(new URL(url, 'http://x').searchParams.get('expires'));

describe('SignedImageUrls: one URL per window', () => {
  const signer = urls(3600);
  const windowStart = Date.UTC(2026, 11, 1, 10); // 10:00 UTC, a multiple of the hour

  it('signs the same URL all through a window and a new one in the next', () => {
    const first = signer.sign(ID, windowStart);
    expect(signer.sign(ID, windowStart + 1_000)).toBe(first);
    expect(signer.sign(ID, windowStart + 3_599_999)).toBe(first);
    const next = signer.sign(ID, windowStart + 3_600_000);
    expect(next).not.toBe(first);
    expect(expiresOf(next) - expiresOf(first)).toBe(3600);
  });

  it('keeps every URL valid one to two windows, then refuses it', () => {
    const early = signer.sign(ID, windowStart);
    const late = signer.sign(ID, windowStart + 3_599_000);
    expect(expiresOf(early) * 1000 - windowStart).toBe(2 * 3_600_000);
    expect(expiresOf(late) * 1000 - (windowStart + 3_599_000)).toBe(3_601_000);
    const { searchParams } = new URL(early, 'http://x');
    const [expires, sig] = [searchParams.get('expires')!, searchParams.get('sig')!];
    // verify answers the seconds left: what a cache may keep it.
    expect(signer.verify(ID, expires, sig, windowStart + 1_000)).toBe(7199);
    expect(signer.verify(ID, expires, sig, expiresOf(early) * 1000)).toBe(0);
    expect(() => signer.verify(ID, expires, sig, expiresOf(early) * 1000 + 1)).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }));
    expect(() => signer.verify(ID, String(Number(expires) + 3600), sig, windowStart)).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }));
    expect(() => signer.verify('1b7c2a4e-2f3d-4c5b-9a8e-1d2c3b4a5f60', expires, sig, windowStart)).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }));
  });

  it('points at PUBLIC_IMAGE_BASE_URL when it is set, with the same signature', () => {
    const cdn = urls(3600, 'https://img.example.com');
    expect(cdn.absolute).toBe(true);
    expect(signer.absolute).toBe(false);
    expect(cdn.sign(ID, windowStart)).toBe(`https://img.example.com${signer.sign(ID, windowStart)}`);
    expect(signer.sign(ID, windowStart)).toMatch(new RegExp(`^/v1/images/${ID}/content\\?expires=\\d+&sig=[\\w-]+$`));
  });
});
