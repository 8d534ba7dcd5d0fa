import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BlobStore } from './blob-store';
import { blobPath } from './blob-keys';

/** Blobs under STORAGE_DIR/blobs/ab/cd/<sha256> (variants in <sha256>-variants/), written atomically (temp file + rename). */
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
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, path);
  }
}
