import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './model-catalog';
import { parseModelManifest, remoteSpecOf } from './model-manifest';

const MANIFESTS_DIR = resolve('models');

describe('ModelCatalog', () => {
  const catalog = ModelCatalog.fromDir(MANIFESTS_DIR);

  it('reads every manifest of models/', () => {
    expect(catalog.list().map((m) => m.id)).toEqual(['blazeface-back', 'blazeface-front', 'esrgan-gans-x4', 'esrgan-psnr-x2', 'esrgan-psnr-x3', 'esrgan-psnr-x4', 'mediapipe-selfie', 'mlsd-tiny', 'nsfw-mobilenet-v2', 'paddleocr-v4', 'pattern-cppn', 'tiny-lora', 'tiny-sd-fp16', 'tiny-sd-inpaint', 'tiny-sd', 'tiny-sd2-v', 'tiny-sdxl', 'tiny-sr']);
    expect(catalog.forJobType('img2img').map((m) => m.id)).toEqual(['tiny-sd-fp16', 'tiny-sd-inpaint', 'tiny-sd', 'tiny-sd2-v', 'tiny-sdxl']);
  });

  it('refuses an unknown model and one that does another type, each with its own code', () => {
    expect(catalog.checkJobModel('txt2img', 'tiny-sd').id).toBe('tiny-sd');
    expect(() => catalog.checkJobModel('txt2img', 'nope')).toThrow(expect.objectContaining({ kind: 'invalid', code: 'UNKNOWN_MODEL', details: expect.objectContaining({ field: 'model' }) }));
    expect(() => catalog.checkJobModel('img2img', 'pattern-cppn')).toThrow(expect.objectContaining({ kind: 'invalid', code: 'MODEL_WRONG_PIPELINE' }));
  });

  it('accepts a fallback that does every job type of its model, and refuses any other', () => {
    const [tinySd, pattern] = [catalog.find('tiny-sd')!, catalog.find('pattern-cppn')!];
    expect(new ModelCatalog([{ ...pattern, fallback: 'tiny-sd' }, tinySd]).find('pattern-cppn')?.fallback).toBe('tiny-sd');
    expect(() => new ModelCatalog([{ ...tinySd, fallback: 'pattern-cppn' }, pattern])).toThrow(/fallback pattern-cppn does not do img2img/);
    expect(() => new ModelCatalog([{ ...tinySd, fallback: 'nope' }])).toThrow(/fallback nope is not declared/);
    expect(() => new ModelCatalog([{ ...tinySd, fallback: 'tiny-sd' }])).toThrow(/is the model itself/);
  });

  it('fails clearly on a folder it cannot read and on an invalid manifest', () => {
    expect(() => ModelCatalog.fromDir('/nonexistent/models')).toThrow(/Cannot read model manifests from \/nonexistent\/models/);
    const dir = mkdtempSync(join(tmpdir(), 'atelier-manifests-'));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ id: 'broken', pipeline: 'x', description: 'x', license: 'MIT', source: { builder: 'b' }, files: [] }));
    expect(() => ModelCatalog.fromDir(dir)).toThrow(/Invalid model manifest .*broken\.json: "files" must be a non-empty array/);
  });
});

const valid = { id: 'm', pipeline: 'p', description: 'd', license: 'MIT', source: { builder: 'b' }, files: [{ name: 'a.onnx', sha256: 'a'.repeat(64), sizeBytes: 1 }] };

describe('parseModelManifest', () => {

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

describe('remote model manifests', () => {
  const graph = { '6': { class_type: 'CLIPTextEncode', inputs: { text: 'x' } }, '9': { class_type: 'SaveImage', inputs: {} } };
  const comfy = { id: 'farm', pipeline: 'txt2img', description: 'd', license: 'MIT', engine: 'comfyui-remote', upstreams: ['http://gpu-1:8188/'], workflow: graph, bindings: { prompt: '6.inputs.text' }, output: '9' };

  it('need no source nor files, and get the resilience defaults', () => {
    const manifest = parseModelManifest(comfy, 'farm.json');
    expect(manifest.files).toEqual([]);
    expect(remoteSpecOf(manifest)).toMatchObject({
      engine: 'comfyui-remote', upstreams: ['http://gpu-1:8188'],
      resilience: { attempts: 3, tryTimeoutMs: 45_000, deadlineMs: 120_000, consecutiveFailures: 3, ejectionMs: 60_000, maxEjectedPercent: 50 },
    });
    expect(remoteSpecOf(parseModelManifest({ ...comfy, resilience: { attempts: 5 } }, 'farm.json'))?.resilience).toMatchObject({ attempts: 5, tryTimeoutMs: 45_000 });
    expect(remoteSpecOf(parseModelManifest({ id: 'o', pipeline: 'txt2img', description: 'd', license: 'x', engine: 'openai-images', baseUrl: 'https://api.example.com/v1', model: 'gpt-image-1', apiKeyEnv: 'OPENAI_KEY' }, 'o.json'))).toMatchObject({ engine: 'openai-images', baseUrl: 'https://api.example.com/v1' });
    expect(remoteSpecOf(parseModelManifest(valid, 'm.json'))).toBeUndefined();
  });

  it('refuse bindings to missing nodes, credentials in URLs, a bad env name and local models without files', () => {
    expect(() => parseModelManifest({ ...comfy, bindings: { prompt: '66.inputs.text' } }, 'farm.json')).toThrow(/bindings.prompt: node "66" is not in the workflow/);
    expect(() => parseModelManifest({ ...comfy, bindings: { prompt: '6.text' } }, 'farm.json')).toThrow(/"bindings.prompt" must look like/);
    expect(() => parseModelManifest({ ...comfy, output: '12' }, 'farm.json')).toThrow(/output: node "12"/);
    expect(() => parseModelManifest({ ...comfy, upstreams: ['http://user:pw@gpu-1:8188'] }, 'farm.json')).toThrow(/must not carry credentials/);
    expect(() => parseModelManifest({ ...comfy, upstreams: [] }, 'farm.json')).toThrow(/at least one upstream/);
    expect(() => parseModelManifest({ ...comfy, auth: { env: 'lower-case' } }, 'farm.json')).toThrow(/"auth.env" must be an environment variable name/);
    expect(() => parseModelManifest({ ...comfy, resilience: { retries: 2 } }, 'farm.json')).toThrow(/resilience/);
    const { files: _files, ...noFiles } = valid;
    expect(() => parseModelManifest(noFiles, 'm.json')).toThrow(/"files" must be a non-empty array/);
  });

  it('read the workflow from a file inside the manifests folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-manifests-'));
    mkdirSync(join(dir, 'graphs'));
    writeFileSync(join(dir, 'graphs', 'farm.json'), JSON.stringify(graph));
    writeFileSync(join(dir, 'farm.json'), JSON.stringify({ ...comfy, workflow: 'graphs/farm.json' }));
    const manifest = ModelCatalog.fromDir(dir).find('farm')!;
    expect((remoteSpecOf(manifest) as { workflow: unknown }).workflow).toEqual(graph);
    writeFileSync(join(dir, 'farm.json'), JSON.stringify({ ...comfy, workflow: '../outside.json' }));
    expect(() => ModelCatalog.fromDir(dir)).toThrow(/"workflow" must be a path inside/);
  });
});
