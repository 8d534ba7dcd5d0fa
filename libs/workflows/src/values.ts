/** What flows along a graph's links while it runs, by ComfyUI type name. */

/** One image, PNG-encoded: what storage keeps and nodes hand on. */
export interface EncodedImage {
  png: Buffer;
  width: number;
  height: number;
}

/** IMAGE: a batch of images. MASK: a batch of greyscale images (white = 1). */
export type ImageBatch = EncodedImage[];

/** MODEL, CLIP and VAE all name the checkpoint (a model manifest) they come from. */
export interface CheckpointRef {
  model: string;
}

/** CONDITIONING: the prompt text, encoded by the sampler's own pipeline. */
export interface Conditioning {
  text: string;
}

/**
 * LATENT. Atelier's samplers run a whole generation pipeline, so a latent travels as the size of
 * what to make plus, once sampled or encoded, the images themselves: a VAE round trip between
 * two samplers, where ComfyUI would pass the latent tensor on.
 */
export interface Latent {
  width: number;
  height: number;
  batch: number;
  images?: ImageBatch;
}

export interface UpscaleModelRef {
  model: string;
}
