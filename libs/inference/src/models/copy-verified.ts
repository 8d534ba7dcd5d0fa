import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Copies `from` to `to` through a temp file beside `to`, hashing on the way, and renames
 * only when the hash matches: a reader never sees a half-written or wrong model file.
 * Throws HashMismatchError (leaving `to` untouched) when the copy is not `expectedSha256`.
 */
export async function copyVerified(from: string, to: string, expectedSha256: string): Promise<void> {
  const temp = `${to}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(from), hashing, createWriteStream(temp));
    const actual = hash.digest('hex');
    if (actual !== expectedSha256) throw new HashMismatchError(from, actual, expectedSha256);
    await rename(temp, to);
  } finally {
    await rm(temp, { force: true });
  }
}

export class HashMismatchError extends Error {
  constructor(
    readonly path: string,
    readonly actual: string,
    readonly expected: string,
  ) {
    super(`sha256 of ${path} is ${actual}, expected ${expected}`);
  }
}
