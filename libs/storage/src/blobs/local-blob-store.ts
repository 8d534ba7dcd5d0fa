import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BlobStore } from './blob-store';
import { blobPath } from './blob-keys';

/** Blobs under STORAGE_DIR/blobs/ab/cd/<sha256>, written atomically (temp file + rename). */
export class LocalBlobStore extends BlobStore {
  private readonly root: string;

  constructor(storageDir: string) {
    super();
    this.root = resolve(storageDir, 'blobs');
  }

  async put(bytes: Buffer): Promise<{ sha256: string; bytes: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    const exists = await stat(path).then((s) => s.size === bytes.length, () => false);
    if (!exists) await this.writeAtomically(path, bytes);
    return { sha256, bytes: bytes.length };
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
    // Variants live in a folder named like the blob plus their own names: <dir>/<sha>/<variant>.
    await rm(this.pathOf(sha256), { force: true });
    await rm(`${this.pathOf(sha256)}-variants`, { recursive: true, force: true });
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
