import { SD_ONNX_IO } from '../model-builder';
import type { Net } from './onnx-net';

/** What kind of Stable-Diffusion export a folder holds, as the pipeline needs to know it. */
export interface SdLayout {
  /** model_index.json's `_class_name`, for messages. */
  pipelineClass: string;
  /** The UNet's `sample` channels: 4, or 9 for inpainting (latents, mask, masked-image latents). */
  unetInChannels: number;
}

/**
 * Reads the layout from the export itself: the UNet's declared `sample` channels, else
 * model_index.json's class (an `…InpaintPipeline` has the 9-channel UNet). Never from the id.
 */
export function readSdLayout(modelIndex: { _class_name?: string } | undefined, unet: Net): SdLayout {
  const pipelineClass = modelIndex?._class_name ?? 'OnnxStableDiffusionPipeline';
  const declared = unet.inputShape(SD_ONNX_IO.unet.sample)?.[1];
  const unetInChannels = typeof declared === 'number' ? declared : /Inpaint/.test(pipelineClass) ? 9 : SD_ONNX_IO.latentChannels;
  if (unetInChannels !== 4 && unetInChannels !== 9) throw new Error(`${pipelineClass}: a UNet with ${unetInChannels} sample channels is not a Stable-Diffusion layout this pipeline knows (4 or 9)`);
  return { pipelineClass, unetInChannels };
}
