import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BlobStore } from './blob-store';
import { blobPath } from './blob-keys';
import { storageErrors } from '../storage-errors';

/** The filesystem is out of space or of the quota: a condition that passes, not a bug. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Blobs under STORAGE_DIR/blobs/ab/cd/<sha256> (variants in <sha256>-variants/), written
 * atomically (temp file + rename). A full disk is 503 STORAGE_FULL and leaves nothing behind:
 * the temp file of a failed write is removed, so no half-written blob is ever read or kept.
 */
export class LocalBlobStore extends BlobStore {
  private readonly root: string;

  constructor(storageDir: string) {
    super();
    this.root = resolve(storageDir, 'blobs');
  }

  async putKey(key: string, bytes: Buffer): Promise<void> {
    await this.writeAtomically(this.pathOf(key), bytes);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deleteWithVariants(sha256: string): Promise<void> {
    // Variants live beside the blob in their own folder: <dir>/<sha>-variants/<variant>.
    await rm(this.pathOf(sha256), { force: true });
    await rm(`${this.pathOf(sha256)}-variants`, { recursive: true, force: true });
  }

  protected async sizeOf(key: string): Promise<number | null> {
    return stat(this.pathOf(key)).then((s) => s.size, () => null);
  }

  private pathOf(key: string): string {
    return join(this.root, blobPath(key));
  }

  private async writeAtomically(path: string, bytes: Buffer): Promise<void> {
    const temp = `${path}.${randomUUID()}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, bytes);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      if (NO_SPACE.has((error as NodeJS.ErrnoException).code ?? '')) {
        throw storageErrors('STORAGE_FULL', 'The image store is out of space; try again later', { retryAfterSeconds: 30 });
      }
      throw error;
    }
  }
}
