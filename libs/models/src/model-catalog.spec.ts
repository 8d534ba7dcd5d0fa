import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './model-catalog';
import { parseModelManifest } from './model-manifest';

const MANIFESTS_DIR = resolve('models');

describe('ModelCatalog', () => {
  const catalog = ModelCatalog.fromDir(MANIFESTS_DIR);

  it('reads every manifest of models/', () => {
    expect(catalog.list().map((m) => m.id)).toEqual(['blazeface-back', 'blazeface-front', 'esrgan-gans-x4', 'esrgan-psnr-x2', 'esrgan-psnr-x3', 'esrgan-psnr-x4', 'mediapipe-selfie', 'mlsd-tiny', 'nsfw-mobilenet-v2', 'paddleocr-v4', 'pattern-cppn', 'tiny-sd', 'tiny-sr']);
    expect(catalog.forJobType('img2img').map((m) => m.id)).toEqual(['tiny-sd']);
  });

  it('refuses an unknown model and one that does another type, each with its own code', () => {
    expect(catalog.checkJobModel('txt2img', 'tiny-sd').id).toBe('tiny-sd');
    expect(() => catalog.checkJobModel('txt2img', 'nope')).toThrow(expect.objectContaining({ kind: 'invalid', code: 'UNKNOWN_MODEL', details: expect.objectContaining({ field: 'model' }) }));
    expect(() => catalog.checkJobModel('img2img', 'pattern-cppn')).toThrow(expect.objectContaining({ kind: 'invalid', code: 'MODEL_WRONG_PIPELINE' }));
  });

  it('fails clearly on a folder it cannot read and on an invalid manifest', () => {
    expect(() => ModelCatalog.fromDir('/nonexistent/models')).toThrow(/Cannot read model manifests from \/nonexistent\/models/);
    const dir = mkdtempSync(join(tmpdir(), 'atelier-manifests-'));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ id: 'broken', pipeline: 'x', description: 'x', license: 'MIT', source: { builder: 'b' }, files: [] }));
    expect(() => ModelCatalog.fromDir(dir)).toThrow(/Invalid model manifest .*broken\.json: "files" must be a non-empty array/);
  });
});

describe('parseModelManifest', () => {
  const valid = { id: 'm', pipeline: 'p', description: 'd', license: 'MIT', source: { builder: 'b' }, files: [{ name: 'a.onnx', sha256: 'a'.repeat(64), sizeBytes: 1 }] };

  it('keeps unknown keys and defaults input', () => {
    expect(parseModelManifest({ ...valid, notes: 'x' }, 'm.json')).toMatchObject({ notes: 'x', input: {} });
  });

  it('wants a hash for every file except those of a local model', () => {
    expect(() => parseModelManifest({ ...valid, files: [{ name: 'a.onnx', sizeBytes: 1 }] }, 'm.json')).toThrow(/"sha256" must be 64 hex digits/);
    expect(parseModelManifest({ ...valid, source: { local: true }, files: [{ name: 'a.onnx', sizeBytes: 1 }] }, 'm.json').source).toEqual({ local: true });
  });

  it('refuses a source of no known kind and an id that is not a slug', () => {
    expect(() => parseModelManifest({ ...valid, source: { url: 'https://x' } }, 'm.json')).toThrow(/"source"/);
    expect(() => parseModelManifest({ ...valid, id: 'Big Model' }, 'm.json')).toThrow(/"id" must be a lower-case slug/);
  });
});
