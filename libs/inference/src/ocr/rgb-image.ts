import sharp from 'sharp';

/** Packed 8-bit RGB, row-major, no padding. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Decodes any format sharp reads, applies the EXIF orientation (so boxes match what people see)
 * and flattens transparency onto white (dark text on a transparent PNG stays readable).
 */
export async function decodeRgb(image: Buffer): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(image)
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new Error(`Cannot read image for OCR: ${(err as Error).message}`);
  }
}

/** Stretches to exactly `width` x `height`. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data, width, height };
}

export function rotate180(image: RgbImage): RgbImage {
  const pixels = image.width * image.height;
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < pixels; i++) data.set(image.data.subarray(i * 3, i * 3 + 3), (pixels - 1 - i) * 3);
  return { data, width: image.width, height: image.height };
}

/** A quarter turn counter-clockwise (numpy's rot90). */
export function rotate90CounterClockwise(image: RgbImage): RgbImage {
  const { width, height } = image;
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < height; x++) {
      const from = (x * width + (width - 1 - y)) * 3;
      data.set(image.data.subarray(from, from + 3), (y * height + x) * 3);
    }
  }
  return { data, width: height, height: width };
}
