import sharp from 'sharp';
import { storageErrors } from '@atelier/storage';

const ACCEPTED = new Set(['png', 'jpeg', 'webp']);

/**
 * ComfyUI's `/upload/mask`: the original image with the mask's alpha as its alpha channel (the
 * mask scaled to the original's size), as a PNG. The mask is checked like any upload.
 */
export async function applyMaskAlpha(original: Buffer, mask: Buffer, maxPixels: number): Promise<Buffer> {
  let format: string | undefined;
  try {
    format = (await sharp(mask, { limitInputPixels: false }).metadata()).format;
  } catch {
    format = undefined;
  }
  if (!format || !ACCEPTED.has(format)) throw storageErrors('UNSUPPORTED_IMAGE', 'The mask is not a PNG, JPEG or WebP image');
  const { width, height } = await sharp(original).metadata();
  if (!width || !height) throw storageErrors('IMAGE_UNDECODABLE', 'The original image could not be decoded');
  let alpha: Buffer;
  try {
    alpha = await sharp(mask, { limitInputPixels: maxPixels }).ensureAlpha().extractChannel(3).resize(width, height, { fit: 'fill' }).raw().toBuffer();
  } catch {
    throw storageErrors('IMAGE_UNDECODABLE', 'The mask could not be decoded (truncated, corrupt or too large)');
  }
  // Two passes: sharp would drop the joined channel again if removeAlpha ran in the same pipeline.
  const rgb = await sharp(original).removeAlpha().raw().toBuffer();
  return sharp(rgb, { raw: { width, height, channels: 3 } }).joinChannel(alpha, { raw: { width, height, channels: 1 } }).png().toBuffer();
}
