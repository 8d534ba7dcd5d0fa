import { createHash } from 'node:crypto';
import type { ModelCatalog } from '@atelier/models';
import type { AnyJobTypeDefinition } from '../types/job-type-definition';

/** What the result cache key is made of; a change to any of it is another piece of work. */
export interface ResultCacheInput {
  definition: AnyJobTypeDefinition;
  model: string | null;
  /** The accepted input: defaults applied, a template already rendered. */
  input: Record<string, unknown>;
  /** The sha256 of the input images (`imageId`, then `maskImageId`, comma-joined), when the input names any. */
  imageSha256: string | null;
}

/** JSON with object keys sorted at every level, so equal inputs hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether the result cache may answer a job of this type with this input at all. */
export function isDeterministic(definition: AnyJobTypeDefinition, input: Record<string, unknown>): boolean {
  const rule = definition.deterministic;
  return rule === undefined ? true : rule === false ? false : rule(input);
}

/**
 * The sha256 files of the models the work runs: the chosen model for a type that takes one,
 * otherwise every declared model of the types it runs (any of them changing changes the result).
 */
export function modelFileHashes(definition: AnyJobTypeDefinition, model: string | null, catalog: ModelCatalog): string[] | null {
  const manifests = model !== null ? [catalog.find(model)].filter((m) => m !== undefined) : (definition.modelsOf ?? [definition.type]).flatMap((t) => catalog.forJobType(t));
  const files = manifests.flatMap((m) => m.files.map((f) => ({ id: `${m.id}/${f.name}`, sha256: f.sha256 })));
  // An operator's local model without pinned hashes can change under the same name: not cacheable.
  if (files.some((f) => !f.sha256)) return null;
  return files.map((f) => `${f.id}:${f.sha256}`).sort();
}

/**
 * The key: the type, the model and its files' hashes, the full accepted input with the input
 * image named by its content (the same bytes uploaded twice are the same work), hashed; null when
 * a model's files carry no hash.
 */
export function resultCacheKey(what: ResultCacheInput, catalog: ModelCatalog): string | null {
  const modelFiles = modelFileHashes(what.definition, what.model, catalog);
  if (!modelFiles) return null;
  const { imageId: _imageId, ...rest } = what.input;
  const material = {
    v: 1,
    type: what.definition.type,
    model: what.model,
    modelFiles,
    input: rest,
    image: what.imageSha256,
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}
