import { createHash } from 'node:crypto';

/** Content-addressed bytes. Drivers: the local filesystem and S3-compatible stores (STORAGE_DRIVER). */
export abstract class BlobStore {
  /** Stores bytes under their SHA-256 (idempotent: bytes already there are not written again). */
  async put(bytes: Buffer): Promise<{ sha256: string; bytes: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // Content-addressed: the same key holds the same bytes, so a concurrent duplicate write is harmless.
    if ((await this.sizeOf(sha256)) !== bytes.length) await this.putKey(sha256, bytes);
    return { sha256, bytes: bytes.length };
  }

  /** Stores bytes under a caller-chosen key (derived images: `<sha>/<variant>`). */
  abstract putKey(key: string, bytes: Buffer): Promise<void>;
  abstract get(keyOrSha: string): Promise<Buffer | null>;
  abstract delete(keyOrSha: string): Promise<void>;
  /** Deletes a blob and every derived variant stored under `<sha>/…`. */
  abstract deleteWithVariants(sha256: string): Promise<void>;
  /** The stored size under `key`, or null when nothing is there. */
  protected abstract sizeOf(key: string): Promise<number | null>;
}
