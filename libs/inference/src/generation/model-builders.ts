import { join } from 'node:path';
import { writePatternGenerator, writeTinyStableDiffusion } from './model-builder';
import { writeClipTokenizerFiles } from './tokenizer';
import { writeTinySuperResolution } from '../upscale/tiny-super-resolution';

/**
 * A small BPE merge list for the tiny test model's tokenizer: enough that ordinary prompts become
 * multi-character tokens, as with real CLIP, while the embedding table stays small.
 */
const TINY_MERGES = [
  'a t', 'e r', 'i n', 'o n', 't h', 'th e</w>', 'a n', 'r e', 'e n', 'o r', 'a r', 's t', 'e s', 'in g</w>',
  'c a', 'ca t</w>', 'd o', 'do g</w>', 'o f</w>', 'p h', 'ph o', 'pho t', 'phot o</w>', 're d</w>',
  'b l', 'bl u', 'blu e</w>', 's u', 'su n', 'sun s', 'suns e', 'sunse t</w>', 'm o', 'mo u', 'mou n', 'moun t',
];

/** The tiny Stable-Diffusion folder: the generated networks plus a CLIP tokenizer sized to them. */
function writeTinySdFolder(dir: string): void {
  const { vocabSize } = writeClipTokenizerFiles(join(dir, 'tokenizer'), TINY_MERGES);
  writeTinyStableDiffusion(dir, { vocabSize });
}

/** Builders that `source.builder` in a model manifest may name; each writes deterministic files into a folder. */
export const MODEL_BUILDERS: Readonly<Record<string, (dir: string) => void>> = {
  'tiny-stable-diffusion': writeTinySdFolder,
  'pattern-generator': writePatternGenerator,
  'tiny-super-resolution': writeTinySuperResolution,
};
