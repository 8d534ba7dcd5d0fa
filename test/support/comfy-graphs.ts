/** ComfyUI API-format graphs for the e2e tests: ComfyUI's default txt2img graph, on the tiny model at a small size. */
export interface Txt2ImgOptions {
  text?: string;
  seed?: number;
  steps?: number;
  size?: number;
  checkpoint?: string;
}

type Node = { class_type: string; inputs: Record<string, unknown>; _meta: { title: string } };

/** A node as ComfyUI's "Export (API)" writes it, `_meta.title` included. */
const node = (class_type: string, inputs: Record<string, unknown>, title = class_type): Node => ({ class_type, inputs, _meta: { title } });

/** Nodes 3 KSampler, 4 CheckpointLoaderSimple, 5 EmptyLatentImage, 6/7 CLIPTextEncode, 8 VAEDecode, 9 SaveImage, as ComfyUI's default workflow numbers them. */
export function txt2imgGraph({ text = 'a red fox in snow', seed = 42, steps = 2, size = 64, checkpoint = 'tiny-sd' }: Txt2ImgOptions = {}): Record<string, Node> {
  return {
    '3': node('KSampler', { seed, steps, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0] }),
    '4': node('CheckpointLoaderSimple', { ckpt_name: checkpoint }, 'Load Checkpoint'),
    '5': node('EmptyLatentImage', { width: size, height: size, batch_size: 1 }),
    '6': node('CLIPTextEncode', { text, clip: ['4', 1] }, 'CLIP Text Encode (Prompt)'),
    '7': node('CLIPTextEncode', { text: 'blurry', clip: ['4', 1] }, 'CLIP Text Encode (Prompt)'),
    '8': node('VAEDecode', { samples: ['3', 0], vae: ['4', 2] }, 'VAE Decode'),
    '9': node('SaveImage', { filename_prefix: 'ComfyUI', images: ['8', 0] }, 'Save Image'),
  };
}

/** An uploaded image, inverted and saved: `name` is what `/upload/image` answered. */
export function invertGraph(name: string): Record<string, Node> {
  return {
    '1': node('LoadImage', { image: name }, 'Load Image'),
    '2': node('ImageInvert', { image: ['1', 0] }, 'Invert Image'),
    '3': node('SaveImage', { filename_prefix: 'inverted', images: ['2', 0] }, 'Save Image'),
  };
}
