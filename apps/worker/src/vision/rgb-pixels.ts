import sharp from 'sharp';

/** Interleaved 8-bit RGB, row-major: what the classical analyses and styles work on. */
export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The image's RGB pixels after its EXIF orientation, alpha flattened onto white; scaled to fit `maxSide` when given. */
export async function decodeRgb(bytes: Buffer, options: { maxSide?: number; failOn?: sharp.FailOnOptions } = {}): Promise<RgbPixels> {
  let pipeline = sharp(bytes, { failOn: options.failOn ?? 'warning' }).rotate().flatten({ background: '#ffffff' });
  if (options.maxSide) pipeline = pipeline.resize(options.maxSide, options.maxSide, { fit: 'inside', withoutEnlargement: true });
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Rec. 601 luma of each pixel, 0..255 as floats. */
export function lumaOf({ data, width, height }: RgbPixels): Float32Array {
  const luma = new Float32Array(width * height);
  for (let i = 0, p = 0; i < luma.length; i++, p += 3) luma[i] = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
  return luma;
}

export function encodeRgb({ data, width, height }: RgbPixels): sharp.Sharp {
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.length), { raw: { width, height, channels: 3 } });
}

export const clampByte = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));
