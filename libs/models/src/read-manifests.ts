import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ModelManifest, parseModelManifest } from './model-manifest';

/** Reads every `*.json` in `manifestsDir`; the file name must match the manifest id. */
export function readManifests(manifestsDir: string): ModelManifest[] {
  let names: string[];
  try {
    names = readdirSync(manifestsDir).filter((name) => name.endsWith('.json')).sort();
  } catch (err) {
    throw new Error(`Cannot read model manifests from ${manifestsDir}: ${(err as Error).message}`);
  }
  return names.map((name) => {
    const path = join(manifestsDir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`Invalid model manifest ${path}: ${(err as Error).message}`);
    }
    const manifest = parseModelManifest(json, path);
    if (`${manifest.id}.json` !== name) {
      throw new Error(`Invalid model manifest ${path}: id "${manifest.id}" does not match the file name`);
    }
    return manifest;
  });
}
