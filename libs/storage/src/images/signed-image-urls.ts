import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@atelier/platform';
import { storageErrors } from '../storage-errors';

/**
 * Image URLs that work in an `<img>` tag, where a browser cannot send an Authorization
 * header: `/v1/images/<id>/content?expires=<unix>&sig=<HMAC-SHA256(id.expires)>`.
 * The signature grants read access to that image until it expires; tampering breaks it.
 */
@Injectable()
export class SignedImageUrls {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;

  constructor(config: AppConfig) {
    // A key of its own, derived so that a leaked URL signature says nothing about JWTs.
    this.key = createHmac('sha256', config.jwtSecret).update('atelier image urls v1').digest();
    this.ttlSeconds = config.signedUrlTtlSeconds;
  }

  sign(imageId: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    return `/v1/images/${imageId}/content?expires=${expires}&sig=${this.signature(imageId, expires)}`;
  }

  /** Throws 403 INVALID_SIGNATURE for a tampered or expired signature. */
  verify(imageId: string, expires: string | undefined, sig: string | undefined, now = Date.now()): void {
    const expiresAt = Number(expires);
    const expected = Buffer.from(this.signature(imageId, expiresAt));
    const given = Buffer.from(String(sig ?? ''));
    const valid = Number.isInteger(expiresAt) && given.length === expected.length && timingSafeEqual(given, expected);
    if (!valid || expiresAt * 1000 < now) {
      throw storageErrors('INVALID_SIGNATURE', 'The image URL is invalid or has expired; fetch a fresh one');
    }
  }

  private signature(imageId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${imageId}.${expires}`).digest('base64url');
  }
}
