import { join } from 'node:path';
import { SD21_V_SCHEDULER_CONFIG, type TinyStableDiffusionOptions, writePatternGenerator, writeTinyStableDiffusion } from './model-builder';
import { writeClipTokenizerFiles } from './tokenizer';
import { writeTinySuperResolution } from '../upscale/tiny-super-resolution';
import { writeTinyLora } from './lora/tiny-lora';

/**
 * A small BPE merge list for the tiny test model's tokenizer: enough that ordinary prompts become
 * multi-character tokens, as with real CLIP, while the embedding table stays small.
 */
export const TINY_MERGES = [
  'a t', 'e r', 'i n', 'o n', 't h', 'th e</w>', 'a n', 'r e', 'e n', 'o r', 'a r', 's t', 'e s', 'in g</w>',
  'c a', 'ca t</w>', 'd o', 'do g</w>', 'o f</w>', 'p h', 'ph o', 'pho t', 'phot o</w>', 're d</w>',
  'b l', 'bl u', 'blu e</w>', 's u', 'su n', 'sun s', 'suns e', 'sunse t</w>', 'm o', 'mo u', 'mou n', 'moun t',
];

/** The tiny Stable-Diffusion folder: the generated networks plus a CLIP tokenizer sized to them. */
function writeTinySdFolder(dir: string, options: Omit<TinyStableDiffusionOptions, 'vocabSize'> = {}): void {
  const { vocabSize } = writeClipTokenizerFiles(join(dir, 'tokenizer'), TINY_MERGES);
  writeTinyStableDiffusion(dir, { vocabSize, ...options });
}

/** Builders that `source.builder` in a model manifest may name; each writes deterministic files into a folder. */
export const MODEL_BUILDERS: Readonly<Record<string, (dir: string) => void>> = {
  'tiny-stable-diffusion': (dir) => writeTinySdFolder(dir),
  // The tensor signature of current `optimum-cli export onnx --fp16`; its own weight seed, so it is not tiny-sd cast down.
  'tiny-stable-diffusion-fp16': (dir) => writeTinySdFolder(dir, { floatType: 'float16', vaeEncoderOutput: 'latent_parameters', seed: 2 }),
  // SD 2.x: a wider text encoder (1024 in the real one, 48 here) and v-prediction in the scheduler config.
  'tiny-stable-diffusion-2-v': (dir) => writeTinySdFolder(dir, { hiddenSize: 48, schedulerConfig: SD21_V_SCHEDULER_CONFIG, seed: 3 }),
  // SD inpainting: a 9-channel UNet (latents, mask, masked-image latents), as runwayml's inpainting export.
  'tiny-stable-diffusion-inpaint': (dir) => writeTinySdFolder(dir, { unetInChannels: 9, pipelineClass: 'OnnxStableDiffusionInpaintPipeline', seed: 4 }),
  // A kohya-layout LoRA for the tiny SD models (UNet and text encoder).
  'tiny-lora': writeTinyLora,
  'pattern-generator': writePatternGenerator,
  'tiny-super-resolution': writeTinySuperResolution,
};
