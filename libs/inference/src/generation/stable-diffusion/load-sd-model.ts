import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InferenceSessionLogger, SessionTuning } from '../../runtime/create-inference-session';
import type { SchedulerConfig } from '../schedulers';
import { ClipTokenizer } from '../tokenizer';
import { OnnxNet } from './onnx-net';
import { SD_ONNX_IO } from '../model-builder';
import type { SdComponents } from './sd-components';
import { readSdLayout } from './sd-layout';

/** The files of a diffusers ONNX export that the pipeline reads; `vae_encoder` only for img2img. */
export const SD_FOLDER_FILES = [
  'model_index.json',
  'tokenizer/vocab.json',
  'tokenizer/merges.txt',
  'scheduler/scheduler_config.json',
  'text_encoder/model.onnx',
  'unet/model.onnx',
  'vae_decoder/model.onnx',
] as const;

/**
 * Opens a model folder in the layout of the diffusers ONNX export (`optimum-cli export onnx` or
 * diffusers' conversion script), so SD 1.5, SD-Turbo or LCM exports drop in by configuration.
 */
export async function loadSdModel(
  dir: string,
  providers: string[],
  logger: InferenceSessionLogger,
  tuning: SessionTuning = {},
  /** Model files to open instead of `<part>/model.onnx`, e.g. with LoRAs merged (by part). */
  replacements: Partial<Record<string, string>> = {},
): Promise<SdComponents> {
  const missing = SD_FOLDER_FILES.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) throw new Error(`${dir} is not a diffusers ONNX export: missing ${missing.join(', ')}`);
  const open = (part: string) => OnnxNet.open(replacements[part] ?? join(dir, part, 'model.onnx'), providers, logger, tuning);
  const [textEncoder, unet, vaeDecoder] = await Promise.all([open('text_encoder'), open('unet'), open('vae_decoder')]);
  const vaeEncoder = existsSync(join(dir, 'vae_encoder/model.onnx')) ? await open('vae_encoder') : undefined;
  return {
    tokenizer: ClipTokenizer.fromFiles(join(dir, 'tokenizer/vocab.json'), join(dir, 'tokenizer/merges.txt')),
    textEncoder,
    unet,
    vaeDecoder,
    ...(vaeEncoder ? { vaeEncoder } : {}),
    schedulerConfig: readJson<SchedulerConfig>(join(dir, 'scheduler/scheduler_config.json')),
    vaeScale: readJson<{ scaling_factor?: number }>(join(dir, 'vae_decoder/config.json'))?.scaling_factor ?? SD_ONNX_IO.vaeScalingFactor,
    layout: readSdLayout(readJson<{ _class_name?: string }>(join(dir, 'model_index.json')), unet),
  };
}

export async function releaseSdModel(c: SdComponents): Promise<void> {
  await Promise.all([c.textEncoder, c.unet, c.vaeDecoder, c.vaeEncoder].map((n) => n?.release()));
}

function readJson<T>(path: string): T {
  return (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined) as T;
}
