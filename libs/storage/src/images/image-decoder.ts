import sharp from 'sharp';
import type { ImageFormat } from './image.entity';
import { storageErrors } from '../storage-errors';

const ACCEPTED: ReadonlySet<string> = new Set(['png', 'jpeg', 'webp']);

export interface DecodedImage {
  bytes: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
}

/**
 * Decides the type from the content (never the name or header), refuses oversized pixel
 * counts from the header before decoding, applies EXIF orientation and strips private
 * metadata (GPS, camera) by re-encoding only when there is metadata to strip.
 */
export async function normalizeImage(input: Buffer, maxPixels: number): Promise<DecodedImage> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw storageErrors('UNSUPPORTED_IMAGE', 'The file is not a PNG, JPEG or WebP image');
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) {
    throw storageErrors('UNSUPPORTED_IMAGE', `Images must be PNG, JPEG or WebP, not ${meta.format ?? 'unknown'}`);
  }
  const format = meta.format as ImageFormat;
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > maxPixels) {
    throw storageErrors('IMAGE_TOO_LARGE', `The image has ${width}x${height} pixels; the limit is ${maxPixels} pixels`, {
      width, height, maxPixels,
    });
  }
  const hasPrivateMetadata = Boolean(meta.exif || meta.xmp || meta.iptc || (meta.orientation && meta.orientation !== 1));
  try {
    if (!hasPrivateMetadata) {
      // Decode fully once so truncated or corrupt files are refused now, not when served.
      await sharp(input, { limitInputPixels: maxPixels }).raw().toBuffer({ resolveWithObject: false });
      return { bytes: input, format, width, height };
    }
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels })
      .rotate()
      .toFormat(format, format === 'jpeg' ? { quality: 95 } : {})
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, format, width: info.width, height: info.height };
  } catch {
    throw storageErrors('IMAGE_UNDECODABLE', 'The image could not be decoded (truncated or corrupt)');
  }
}
