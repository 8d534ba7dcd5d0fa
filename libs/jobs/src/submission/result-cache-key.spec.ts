import { describe, expect, it } from 'vitest';
import { ModelCatalog, type ModelManifest } from '@atelier/models';
import { JOB_TYPE_BY_NAME } from '../types/job-types';
import { canonicalJson, isDeterministic, resultCacheKey } from './result-cache-key';

const manifest = (id: string, pipeline: string, sha256: string | undefined): ModelManifest =>
  ({ id, pipeline, description: id, license: 'MIT', files: [{ name: 'model.onnx', sha256, sizeBytes: 1 }] }) as unknown as ModelManifest;

describe('result cache key', () => {
  const catalog = new ModelCatalog([manifest('faces', 'detect-faces', 'a'.repeat(64)), manifest('local-gen', 'txt2img', undefined)]);
  const faces = JOB_TYPE_BY_NAME['detect-faces'];

  it('writes JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null }, e: undefined })).toBe('{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
  });

  it('names the image by its content and changes with the model files', () => {
    const key = (imageId: string, sha: string, models = catalog) => resultCacheKey({ definition: faces, model: null, input: { imageId }, imageSha256: sha }, models);
    expect(key('id-1', 'f'.repeat(64))).toBe(key('id-2', 'f'.repeat(64)));
    expect(key('id-1', 'f'.repeat(64))).not.toBe(key('id-1', 'e'.repeat(64)));
    const retrained = new ModelCatalog([manifest('faces', 'detect-faces', 'b'.repeat(64))]);
    expect(key('id-1', 'f'.repeat(64))).not.toBe(key('id-1', 'f'.repeat(64), retrained));
  });

  it('has no key for a model whose files carry no hash, and no caching of unseeded generations or workflows', () => {
    expect(resultCacheKey({ definition: JOB_TYPE_BY_NAME.txt2img, model: 'local-gen', input: { prompt: 'x', seed: 1 }, imageSha256: null }, catalog)).toBeNull();
    expect(isDeterministic(JOB_TYPE_BY_NAME.txt2img, { prompt: 'x' })).toBe(false);
    expect(isDeterministic(JOB_TYPE_BY_NAME.txt2img, { prompt: 'x', seed: 0 })).toBe(true);
    expect(isDeterministic(JOB_TYPE_BY_NAME.workflow, { graph: {} })).toBe(false);
    expect(isDeterministic(faces, {})).toBe(true);
  });
});
