import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ModelRegistry } from '../models/model-registry';
import { prepareModels } from '../models/prepare-models';
import { createModelCache, type ModelCache, type ModelCacheOptions } from '../runtime/model-cache';

// Test support only (not exported from the lib): the repo's manifests, real photos, temp dirs.

export const MANIFESTS_DIR = resolve('models');

/** sample1..6.jpg from @vladmandic/face-api (MIT, devDependency): group photos of 3-5 people. */
export function facePhoto(n: 1 | 2 | 3 | 4 | 5 | 6): string {
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${n}.jpg`);
}

const tempDirs: string[] = [];

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `atelier-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** For afterAll: removes every dir made by makeTempDir in this test file. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh temp models dir with every manifest's files prepared. */
export async function prepareTestModels(): Promise<string> {
  const modelsDir = makeTempDir('models');
  await prepareModels({ manifestsDir: MANIFESTS_DIR, modelsDir, log: () => undefined });
  return modelsDir;
}

/** A registry and model cache over `modelsDir` with the repo's manifests, on the CPU. */
export function testModelCache(modelsDir: string, modelCache?: Partial<ModelCacheOptions>): { registry: ModelRegistry; cache: ModelCache } {
  const registry = new ModelRegistry({ manifestsDir: MANIFESTS_DIR, modelsDir });
  return { registry, cache: createModelCache(registry, { modelsDir, executionProviders: ['cpu'], modelCache }) };
}
