import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoraPart, mergeLoras, readLora } from './lora-merge';

/** A LoRA file and the weight it is merged with. */
export interface LoraFile {
  id: string;
  path: string;
  weight: number;
}

/**
 * Writes the UNet and text encoder of the SD folder `dir` with `loras` merged, beside the
 * originals (`<part>/model.lora-<hash>.onnx`, so external weight files still resolve), and
 * returns their paths by part and a function that removes them.
 */
export function writeMergedParts(dir: string, loras: LoraFile[]): { replacements: Record<string, string>; remove(): void } {
  const parsed = loras.map((l) => ({ id: l.id, weight: l.weight, modules: readLora(readFileSync(l.path)) }));
  const tag = createHash('sha256').update(JSON.stringify(loras.map((l) => [l.id, l.weight]))).digest('hex').slice(0, 16);
  const replacements: Record<string, string> = {};
  for (const part of ['unet', 'text_encoder'] as LoraPart[]) {
    if (!parsed.some((l) => l.modules.some((m) => m.part === part))) continue;
    const { bytes } = mergeLoras(join(dir, part, 'model.onnx'), part, parsed);
    const path = join(dir, part, `model.lora-${tag}.onnx`);
    writeFileSync(path, bytes);
    replacements[part] = path;
  }
  return { replacements, remove: () => Object.values(replacements).forEach((p) => rmSync(p, { force: true })) };
}
