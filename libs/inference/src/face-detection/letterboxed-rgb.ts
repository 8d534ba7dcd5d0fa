import sharp from 'sharp';
import { computeLetterbox, type Letterbox } from './letterbox';

export interface LetterboxedRgb {
  /** size x size x 3 bytes, RGB, row-major (NHWC without the batch). */
  pixels: Buffer;
  letterbox: Letterbox;
}

/**
 * Decodes `image`, applies its EXIF orientation (so coordinates match what people see),
 * and letterboxes it into a black-padded `size` x `size` RGB square.
 */
export async function letterboxedRgb(image: Buffer, size: number): Promise<LetterboxedRgb> {
  let width: number;
  let height: number;
  try {
    ({ width, height } = (await sharp(image).metadata()).autoOrient);
  } catch (err) {
    throw new Error(`Cannot read image for face detection: ${(err as Error).message}`);
  }
  const letterbox = computeLetterbox(width, height, size);
  const { scaledWidth, scaledHeight, padLeft, padTop } = letterbox;
  const { data, info } = await sharp(image)
    .rotate()
    .flatten({ background: '#000000' })
    .resize(scaledWidth, scaledHeight, { fit: 'fill' })
    .extend({
      left: padLeft,
      top: padTop,
      right: size - scaledWidth - padLeft,
      bottom: size - scaledHeight - padTop,
      background: '#000000',
    })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size || info.channels !== 3) {
    throw new Error(`Letterbox produced ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x3`);
  }
  return { pixels: data, letterbox };
}

/** MediaPipe BlazeFace wants RGB scaled to [-1, 1]. */
export function toSignedUnitRange(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 127.5 - 1;
  return out;
}
