import { join, resolve } from 'node:path';
import { readManifests, type ModelManifest } from '@atelier/models';

export interface ModelRegistryOptions {
  manifestsDir: string;
  modelsDir: string;
}

/** The models this install knows about (from the manifests) and where their prepared files live. */
export class ModelRegistry {
  private readonly manifests: ReadonlyMap<string, ModelManifest>;
  private readonly modelsDir: string;

  constructor(options: ModelRegistryOptions) {
    this.modelsDir = resolve(options.modelsDir);
    this.manifests = new Map(readManifests(resolve(options.manifestsDir)).map((m) => [m.id, m]));
  }

  list(): ModelManifest[] {
    return [...this.manifests.values()];
  }

  has(id: string): boolean {
    return this.manifests.has(id);
  }

  get(id: string): ModelManifest {
    const manifest = this.manifests.get(id);
    if (!manifest) {
      throw new Error(`Unknown model "${id}"; known: ${[...this.manifests.keys()].join(', ') || 'none'}`);
    }
    return manifest;
  }

  /** Absolute path of a prepared model file: `modelsDir/<id>/<name>`, the first file by default. */
  filePath(id: string, fileName?: string): string {
    const manifest = this.get(id);
    const file = fileName === undefined ? manifest.files[0] : manifest.files.find((f) => f.name === fileName);
    if (!file) throw new Error(`Model "${id}" has no file "${fileName}"`);
    return join(this.modelsDir, id, file.name);
  }
}
