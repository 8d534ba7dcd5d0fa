import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
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
    const manifest = parseModelManifest(withWorkflowFile(json, manifestsDir, path), path);
    if (`${manifest.id}.json` !== name) {
      throw new Error(`Invalid model manifest ${path}: id "${manifest.id}" does not match the file name`);
    }
    return manifest;
  });
}

/**
 * A remote ComfyUI manifest may name its API-format graph by a path inside the manifests folder
 * (in a subfolder: every top-level `.json` is a manifest); the graph is read in its place.
 */
function withWorkflowFile(json: unknown, manifestsDir: string, manifestPath: string): unknown {
  const m = json as { engine?: unknown; workflow?: unknown } | null;
  if (!m || typeof m !== 'object' || m.engine !== 'comfyui-remote' || typeof m.workflow !== 'string') return json;
  const relative = normalize(m.workflow);
  if (isAbsolute(relative) || relative.startsWith('..')) {
    throw new Error(`Invalid model manifest ${manifestPath}: "workflow" must be a path inside ${manifestsDir}`);
  }
  try {
    return { ...m, workflow: JSON.parse(readFileSync(join(manifestsDir, relative), 'utf8')) };
  } catch (err) {
    throw new Error(`Invalid model manifest ${manifestPath}: cannot read its workflow ${m.workflow}: ${(err as Error).message}`);
  }
}
