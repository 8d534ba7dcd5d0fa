/** Content-addressed bytes. Drivers: the local filesystem and S3-compatible stores (STORAGE_DRIVER). */
export abstract class BlobStore {
  /** Stores bytes under their SHA-256 (idempotent: the same bytes are written once). */
  abstract put(bytes: Buffer): Promise<{ sha256: string; bytes: number }>;
  /** Stores bytes under a caller-chosen key (derived images: `<sha>/<variant>`). */
  abstract putKey(key: string, bytes: Buffer): Promise<void>;
  abstract get(keyOrSha: string): Promise<Buffer | null>;
  abstract delete(keyOrSha: string): Promise<void>;
  /** Deletes a blob and every derived variant stored under `<sha>/…`. */
  abstract deleteWithVariants(sha256: string): Promise<void>;
}
