import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));

/** A real photo with faces, from the MIT-licensed demo images that @vladmandic/face-api ships on npm. */
export async function facePhoto(name = 'sample1.jpg'): Promise<{ bytes: Buffer; minFaces: number }> {
  const root = dirname(require.resolve('@vladmandic/face-api/package.json'));
  return { bytes: await readFile(join(root, 'demo', name)), minFaces: 1 };
}
