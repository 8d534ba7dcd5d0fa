import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@atelier/platform';
import { storageErrors } from '../storage-errors';

/**
 * Image URLs that work in an `<img>` tag, where a browser cannot send an Authorization
 * header: `/v1/images/<id>/content?expires=<unix>&sig=<HMAC-SHA256(id.expires)>`.
 * The signature grants read access to that image until it expires; tampering breaks it.
 *
 * The expiry is bucketed: every URL signed within one window of SIGNED_URL_TTL_SECONDS
 * expires at the end of the following window, so the URL stays the same for the whole
 * window (browsers and CDNs can reuse what they cached) and is valid one to two windows.
 */
@Injectable()
export class SignedImageUrls {
  private readonly key: Buffer;
  private readonly windowSeconds: number;
  private readonly baseUrl: string;

  constructor(config: AppConfig) {
    // A key of its own, derived so that a leaked URL signature says nothing about JWTs.
    this.key = createHmac('sha256', config.jwtSecret).update('atelier image urls v1').digest();
    this.windowSeconds = config.signedUrlTtlSeconds;
    this.baseUrl = config.publicImageBaseUrl ?? '';
  }

  /** The URL clients get: absolute on PUBLIC_IMAGE_BASE_URL (a CDN) when set, else a path on the API. */
  sign(imageId: string, now = Date.now()): string {
    return `${this.baseUrl}${this.signPath(imageId, now)}`;
  }

  /** Whether sign() gives absolute URLs (PUBLIC_IMAGE_BASE_URL is set). */
  get absolute(): boolean {
    return this.baseUrl !== '';
  }

  signPath(imageId: string, now = Date.now()): string {
    const expires = this.expiryAt(now);
    return `/v1/images/${imageId}/content?expires=${expires}&sig=${this.signature(imageId, expires)}`;
  }

  /** Unix seconds: the end of the window after the one `now` falls in. */
  expiryAt(now = Date.now()): number {
    return (Math.floor(now / 1000 / this.windowSeconds) + 2) * this.windowSeconds;
  }

  /**
   * Throws 403 INVALID_SIGNATURE for a tampered or expired signature; else answers the seconds
   * the URL has left, which is how long a cache may keep what it serves.
   */
  verify(imageId: string, expires: string | undefined, sig: string | undefined, now = Date.now()): number {
    const expiresAt = Number(expires);
    const expected = Buffer.from(this.signature(imageId, expiresAt));
    const given = Buffer.from(String(sig ?? ''));
    const valid = Number.isInteger(expiresAt) && given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid || expiresAt * 1000 < now) {
      throw storageErrors('INVALID_SIGNATURE', 'The image URL is invalid or has expired; fetch a fresh one');
    }
    return Math.max(0, Math.floor(expiresAt - now / 1000));
  }

  private signature(imageId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${imageId}.${expires}`).digest('base64url');
  }
}
