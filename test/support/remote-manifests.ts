import { mkdirSync, mkdtempSync, readdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { txt2imgGraph } from './comfy-graphs';

/** img2img on ComfyUI: txt2img's nodes with 10 LoadImage → 11 VAEEncode as the sampler's latent. */
export function img2imgGraph(checkpoint = 'tiny-sd'): Record<string, { class_type: string; inputs: Record<string, unknown> }> {
  const graph: Record<string, { class_type: string; inputs: Record<string, unknown> }> = txt2imgGraph({ checkpoint });
  graph['10'] = { class_type: 'LoadImage', inputs: { image: 'replaced-by-the-upload.png' } };
  graph['11'] = { class_type: 'VAEEncode', inputs: { pixels: ['10', 0], vae: ['4', 2] } };
  graph['3'].inputs.latent_image = ['11', 0];
  return graph;
}

export const IMG2IMG_BINDINGS = { prompt: '6.inputs.text', negativePrompt: '7.inputs.text', seed: '3.inputs.seed', steps: '3.inputs.steps', guidance: '3.inputs.cfg', image: '10.inputs.image', strength: '3.inputs.denoise' };

/** The bindings of ComfyUI's default txt2img graph (node numbers as in comfy-graphs.ts). */
export const TXT2IMG_BINDINGS = {
  prompt: '6.inputs.text',
  negativePrompt: '7.inputs.text',
  seed: '3.inputs.seed',
  steps: '3.inputs.steps',
  guidance: '3.inputs.cfg',
  width: '5.inputs.width',
  height: '5.inputs.height',
  batch: '5.inputs.batch_size',
};

export function comfyRemoteManifest(id: string, upstreams: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    pipeline: 'txt2img',
    jobTypes: ['txt2img'],
    engine: 'comfyui-remote',
    description: `Remote test model ${id}`,
    license: 'MIT',
    upstreams,
    workflow: txt2imgGraph(),
    bindings: TXT2IMG_BINDINGS,
    output: '9',
    ...extra,
  };
}

/** A manifests folder with the given manifests, plus (if asked) every manifest of the repository's models/. */
export function writeManifestsDir(manifests: Array<Record<string, unknown>>, options: { withRepositoryModels?: boolean; files?: Record<string, unknown> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-remote-manifests-'));
  if (options.withRepositoryModels) {
    const models = resolve('models');
    for (const name of readdirSync(models).filter((n) => n.endsWith('.json'))) copyFileSync(join(models, name), join(dir, name));
  }
  for (const [path, value] of Object.entries(options.files ?? {})) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(value));
  }
  for (const m of manifests) writeFileSync(join(dir, `${m.id as string}.json`), JSON.stringify(m, null, 2));
  return dir;
}
