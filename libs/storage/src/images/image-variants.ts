import sharp from 'sharp';
import type { ImageFormat } from './image.entity';

export interface VariantRequest {
  format?: ImageFormat;
  width?: number;
}

/** A conversion or thumbnail, made once with sharp and then cached as a derived blob. */
export async function renderVariant(original: Buffer, request: VariantRequest): Promise<Buffer> {
  let pipeline = sharp(original);
  if (request.width) pipeline = pipeline.resize({ width: request.width, withoutEnlargement: true });
  const format = request.format ?? 'png';
  return pipeline.toFormat(format, format === 'png' ? {} : { quality: 85 }).toBuffer();
}
