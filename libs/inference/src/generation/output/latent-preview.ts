import sharp from 'sharp';

/**
 * SD 1.x latent channels → RGB, the linear "cheap approximation" A1111 and ComfyUI use for
 * step previews: no VAE run, so a preview costs microseconds, not a decoder pass.
 */
const LATENT_RGB = [
  [0.298, 0.207, 0.208],
  [0.187, 0.286, 0.173],
  [-0.158, 0.189, 0.264],
  [-0.184, -0.271, -0.473],
] as const;

/** One item's latents [4, h, w] → interleaved RGB bytes [h, w, 3]. */
export function latentsToRgb(latents: Float32Array, height: number, width: number): Buffer {
  const plane = height * width;
  const rgb = Buffer.alloc(plane * 3);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      let v = 0;
      for (let l = 0; l < 4; l++) v += latents[l * plane + p] * LATENT_RGB[l][c];
      rgb[p * 3 + c] = clampByte((v + 1) * 127.5);
    }
  }
  return rgb;
}

/** A small WebP as a data URL: sent in `job.progress.previewUrl` without storing an image per step. */
export async function previewDataUrl(rgb: Buffer, height: number, width: number, maxSide = 128): Promise<string> {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const webp = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { kernel: 'nearest' })
    .webp({ quality: 60 })
    .toBuffer();
  return `data:image/webp;base64,${webp.toString('base64')}`;
}

/** Planar CHW floats in [-1, 1] (a VAE's output) → interleaved RGB bytes. */
export function planarToRgb(planar: Float32Array, height: number, width: number, offset = 0): Buffer {
  const plane = height * width;
  const rgb = Buffer.alloc(plane * 3);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = clampByte((planar[offset + c * plane + p] + 1) * 127.5);
  }
  return rgb;
}

/** Interleaved RGB bytes → planar CHW floats in [-1, 1] (a VAE encoder's input). */
export function rgbToPlanar(rgb: Buffer, height: number, width: number): Float32Array {
  const plane = height * width;
  const planar = new Float32Array(plane * 3);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) planar[c * plane + p] = rgb[p * 3 + c] / 127.5 - 1;
  }
  return planar;
}

export function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
