import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { graphToOnnx } from './graph-to-onnx';
import { layersToOnnx } from './layers-to-onnx';
import type { TfjsModelJson } from './tfjs-model-json';
import { decodeWeights } from './tfjs-weights';

/** How a manifest asks for a TF.js model to be converted (`source.import`). */
export interface TfjsImportSpec {
  format: 'tfjs-layers' | 'tfjs-graph';
  shards?: 'files' | 'base64-js';
  inputName?: string;
  outputName?: string;
  inputScale?: number;
  outputScale?: number;
  /** Graph models: the tensors to keep as outputs (`node` or `node:index`); the rest is pruned. */
  outputs?: string[];
  /** Graph models: fixed input shape, so static sub-graphs fold to constants. */
  inputShape?: number[];
}

/**
 * Reads a TF.js model and its weight shards from disk (shard paths are relative to model.json).
 * `base64-js`: the package ships model.json and each shard as generated CommonJS modules,
 * `<name>.min.js`, exporting the JSON object and the shard's bytes as a base64 string (nsfwjs
 * does this); `modelJsonPath` then names `model.min.js`.
 */
export function readTfjsModel(modelJsonPath: string, shards: TfjsImportSpec['shards'] = 'files'): { model: TfjsModelJson; readShard: (path: string) => Buffer } {
  const dir = dirname(modelJsonPath);
  if (shards === 'files') {
    const model = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as TfjsModelJson;
    return { model, readShard: (path) => readFileSync(join(dir, path)) };
  }
  const load = createRequire(modelJsonPath);
  const model = load(modelJsonPath) as TfjsModelJson;
  return {
    model,
    readShard: (path) => {
      const text = load(join(dir, `${path}.min.js`)) as unknown;
      if (typeof text !== 'string') throw new Error(`shard module ${path}.min.js does not export a base64 string`);
      return Buffer.from(text, 'base64');
    },
  };
}

/** Converts a TF.js model to ONNX bytes (deterministic: the same files give the same bytes). */
export function importTfjsModel(model: TfjsModelJson, readShard: (path: string) => Buffer, spec: TfjsImportSpec, graphName: string): Uint8Array {
  const weights = decodeWeights(model.weightsManifest, readShard);
  if (spec.format === 'tfjs-layers') return layersToOnnx(model.modelTopology, weights, { graphName, ...spec });
  return graphToOnnx(model.modelTopology, weights, { graphName, outputs: spec.outputs, outputNames: spec.outputName ? [spec.outputName] : undefined, inputShape: spec.inputShape, inputName: spec.inputName });
}
