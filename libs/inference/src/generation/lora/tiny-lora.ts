import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from '../model-builder';
import { writeSafetensors } from './safetensors';

/** The file the tiny LoRA's manifest names. */
export const TINY_LORA_FILE = 'lora.safetensors';

/**
 * A rank-4 LoRA for the tiny SD models in kohya-ss's layout (`lora_unet_…` / `lora_te_…`,
 * `.lora_down.weight`, `.lora_up.weight`, `.alpha`), patching a linear and a convolution of the
 * UNet and a linear of the text encoder, with seeded weights: deterministic bytes.
 */
export function buildTinyLora(seed = 7): Uint8Array {
  const rng = new SeededRandom(seed);
  const rank = 4;
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  const add = (key: string, out: number, inner: number, kernel: number[] = []) => {
    tensors[`${key}.lora_down.weight`] = { shape: [rank, ...(kernel.length ? [inner / (kernel[0] * kernel[1]), ...kernel] : [inner])], data: rng.normal(rank * inner, 0.5) };
    tensors[`${key}.lora_up.weight`] = { shape: [out, rank, ...(kernel.length ? [1, 1] : [])], data: rng.normal(out * rank, 0.5) };
    tensors[`${key}.alpha`] = { shape: [], data: Float32Array.from([rank / 2]) };
  };
  add('lora_unet_text_proj', 32, 32);
  add('lora_unet_mid', 32, 32 * 9, [3, 3]);
  add('lora_te_mlp_fc1', 64, 32);
  return writeSafetensors(tensors, { ss_network_dim: String(rank), ss_network_alpha: String(rank / 2) });
}

export function writeTinyLora(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, TINY_LORA_FILE), buildTinyLora());
}
