import { resolve } from 'node:path';
import { jobTypesOf, type ModelManifest } from './model-manifest';
import { modelErrors } from './model-errors';
import { readManifests } from './read-manifests';

/**
 * The models this install declares, read once from the manifests folder. The API uses it to
 * refuse a job for a model that does not exist (or does another type) at submit, and to list
 * models no worker reports; the worker's registry is built on the same manifests.
 */
export class ModelCatalog {
  private readonly byId: ReadonlyMap<string, ModelManifest>;

  /** Throws when a manifest's `fallback` names no declared model, or one that does not do all of its job types. */
  constructor(manifests: ModelManifest[]) {
    this.byId = new Map(manifests.map((m) => [m.id, m]));
    for (const m of manifests) {
      if (m.fallback === undefined) continue;
      const target = this.byId.get(m.fallback);
      const missing = target ? jobTypesOf(m).filter((t) => !jobTypesOf(target).includes(t)) : [];
      if (!target || missing.length || m.fallback === m.id) {
        throw new Error(`model ${m.id}: fallback ${m.fallback} ${!target ? 'is not declared' : m.fallback === m.id ? 'is the model itself' : `does not do ${missing.join(', ')}`}`);
      }
    }
  }

  /** Throws an Error naming the folder when it cannot be read or holds an invalid manifest. */
  static fromDir(manifestsDir: string): ModelCatalog {
    return new ModelCatalog(readManifests(resolve(manifestsDir)));
  }

  list(): ModelManifest[] {
    return [...this.byId.values()];
  }

  find(id: string): ModelManifest | undefined {
    return this.byId.get(id);
  }

  /** The models that do a job type, e.g. the `ckpt_name` choices of a workflow. */
  forJobType(type: string): ModelManifest[] {
    return this.list().filter((m) => jobTypesOf(m).includes(type));
  }

  /** 422 UNKNOWN_MODEL for a model that is not declared, MODEL_WRONG_PIPELINE for one that does not do `type`. */
  checkJobModel(type: string, model: string): ModelManifest {
    const manifest = this.byId.get(model);
    if (!manifest) {
      throw modelErrors('UNKNOWN_MODEL', `Unknown model ${model}`, { field: 'model', known: [...this.byId.keys()] });
    }
    const types = jobTypesOf(manifest);
    if (!types.includes(type)) {
      throw modelErrors('MODEL_WRONG_PIPELINE', `Model ${model} does not do ${type} jobs (it does ${types.join(', ')})`, { field: 'model', jobTypes: types });
    }
    return manifest;
  }
}
