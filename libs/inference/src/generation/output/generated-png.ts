import sharp from 'sharp';
import type { GeneratedPixels, GenerationJobRequest } from '../generation-request';
import { withPngText } from './png-parameters';

type PngParameters = Pick<GenerationJobRequest, 'kind' | 'prompt' | 'negativePrompt' | 'width' | 'height' | 'steps' | 'guidance' | 'scheduler' | 'sigmaSchedule' | 'strength' | 'loras'> & {
  model: string;
  seed: number;
  provider: string;
};

/**
 * The PNG with its parameters embedded, as A1111 (`parameters`, its text format) and as JSON
 * (`atelier`), so the image alone is enough to make it again.
 */
export async function encodeGeneratedPng(pixels: GeneratedPixels, p: PngParameters): Promise<Buffer> {
  const png = await sharp(pixels.rgb, { raw: { width: pixels.width, height: pixels.height, channels: 3 } }).png().toBuffer();
  const a1111 = [
    p.prompt,
    ...(p.negativePrompt ? [`Negative prompt: ${p.negativePrompt}`] : []),
    `Steps: ${p.steps}, Sampler: ${p.scheduler}, ${p.sigmaSchedule && p.sigmaSchedule !== 'normal' ? `Schedule type: ${p.sigmaSchedule}, ` : ''}CFG scale: ${p.guidance}, Seed: ${p.seed}, Size: ${p.width}x${p.height}, Model: ${p.model}` +
      (p.kind === 'img2img' ? `, Denoising strength: ${p.strength ?? 0.75}` : ''),
  ].join('\n');
  const json = JSON.stringify({
    kind: p.kind, model: p.model, prompt: p.prompt, negativePrompt: p.negativePrompt, seed: p.seed, steps: p.steps,
    guidance: p.guidance, scheduler: p.scheduler, sigmaSchedule: p.sigmaSchedule ?? 'normal', width: p.width, height: p.height, provider: p.provider,
    ...(p.kind === 'img2img' ? { strength: p.strength ?? 0.75 } : {}),
    ...(p.loras?.length ? { loras: p.loras } : {}),
  });
  // tEXt is Latin-1: JSON escapes keep any prompt intact in the `atelier` chunk.
  return withPngText(png, { parameters: a1111, atelier: json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) });
}
