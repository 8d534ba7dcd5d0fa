import type { ClipTokenizer } from '../tokenizer';
import type { SchedulerConfig } from '../schedulers';
import type { Net } from './onnx-net';
import type { SdLayout } from './sd-layout';

/** Everything one loaded Stable-Diffusion model folder gives the pipeline. */
export interface SdComponents {
  tokenizer: ClipTokenizer;
  textEncoder: Net;
  unet: Net;
  vaeDecoder: Net;
  /** Only img2img needs it; a txt2img-only export may leave it out. */
  vaeEncoder?: Net;
  schedulerConfig: SchedulerConfig;
  vaeScale: number;
  layout: SdLayout;
}
