import { Logger } from '@nestjs/common';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DomainError, type AppConfig } from '@atelier/platform';
import { BlobStore } from './blob-store';
import { blobPath } from './blob-keys';
import { storageErrors } from '../storage-errors';

export type S3BlobStoreOptions = AppConfig['s3'] & {
  /** How long to wait for a TCP connection; an unreachable endpoint fails fast instead of hanging a request. */
  connectionTimeoutMs?: number;
  maxAttempts?: number;
};

/**
 * Blobs in an S3-compatible bucket under `blobs/ab/cd/<sha256>`, variants under
 * `blobs/ab/cd/<sha256>-variants/<variant>`: the same layout as the local driver.
 * Any failure of the store itself (down, timing out, refusing us) is a 503 STORAGE_UNAVAILABLE,
 * so the API answers "try again" and the worker retries the job instead of failing it.
 */
export class S3BlobStore extends BlobStore {
  private readonly logger = new Logger(S3BlobStore.name);
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3BlobStoreOptions) {
    super();
    this.bucket = options.bucket;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
      // The SDK's standard retry strategy retries transient faults (5xx, throttling, resets) with backoff before
      // we call the store unavailable; every call here is idempotent, so a retry is safe.
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: { connectionTimeout: options.connectionTimeoutMs ?? 3000, requestTimeout: 30_000 },
      // Many S3-compatible servers reject the SDK's default CRC32 trailers; send checksums only where S3 requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async putKey(key: string, bytes: Buffer): Promise<void> {
    const Key = this.objectKey(key);
    await this.call('put', () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes })));
  }

  async get(key: string): Promise<Buffer | null> {
    const Key = this.objectKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      const body = await object.Body!.transformToByteArray();
      return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw this.unavailable('get', error);
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    // S3 deletes are idempotent: a missing object is not an error.
    await this.call('delete', () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })));
  }

  async deleteWithVariants(sha256: string): Promise<void> {
    await this.delete(sha256);
    const Prefix = `${this.objectKey(sha256)}-variants/`;
    let ContinuationToken: string | undefined;
    do {
      const page = await this.call('list', () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ContinuationToken })),
      );
      // One DeleteObject each: an image has a handful of variants, and not every S3-compatible server has DeleteObjects.
      const keys = (page.Contents ?? []).map((o) => o.Key!).filter(Boolean);
      await this.call('delete', () =>
        Promise.all(keys.map((Key) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })))),
      );
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /** Releases the HTTP connections (tests, shutdown). */
  close(): void {
    this.client.destroy();
  }

  protected async sizeOf(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return head.ContentLength ?? null;
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw this.unavailable('head', error);
    }
  }

  private objectKey(key: string): string {
    return `blobs/${blobPath(key)}`;
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.unavailable(operation, error);
    }
  }

  private unavailable(operation: string, error: unknown): DomainError {
    const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    this.logger.warn(
      { operation, bucket: this.bucket, error: e.name ?? e.code, status: e.$metadata?.httpStatusCode, message: e.message },
      'blob store unavailable',
    );
    return storageErrors('STORAGE_UNAVAILABLE', 'Image storage is unavailable right now; try again shortly');
  }
}

/** A missing object (not a missing bucket, which is a misconfiguration and so "unavailable"). */
function isMissingObject(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}
