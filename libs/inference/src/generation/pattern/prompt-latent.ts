import { PATTERN_GENERATOR_IO } from '../model-builder';
import { gaussianArray, seededGaussian } from '../seeded-gaussian';

/** FNV-1a, 32 bit: a stable number per word. */
function hashWord(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The mean of per-word Gaussian vectors, rescaled to unit variance: shared words give related latents. */
function textVector(text: string): Float32Array {
  const size = PATTERN_GENERATOR_IO.latentSize;
  const sum = new Float32Array(size);
  const words = text.toLowerCase().match(WORD) ?? [];
  for (const word of words) gaussianArray(seededGaussian(hashWord(word)), size).forEach((v, i) => (sum[i] += v));
  const scale = words.length ? 1 / Math.sqrt(words.length) : 0;
  return sum.map((v) => v * scale);
}

/**
 * The CPPN's latent for a prompt and seed: mostly the prompt's words (so a prompt has a look),
 * varied by the seed, pushed away from the negative prompt; guidance scales the prompt's pull.
 */
export function promptLatent(prompt: string, negativePrompt: string, seed: number, guidance: number): Float32Array {
  const size = PATTERN_GENERATOR_IO.latentSize;
  const positive = textVector(prompt);
  const negative = textVector(negativePrompt);
  const variation = gaussianArray(seededGaussian(seed), size);
  const pull = 0.6 + Math.min(guidance, 20) / 20;
  return positive.map((v, i) => pull * v + 0.5 * variation[i] - 0.3 * negative[i]);
}
