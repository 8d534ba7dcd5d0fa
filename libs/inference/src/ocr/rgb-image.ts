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
  const from = image.data;
  const data = new Uint8Array(from.length);
  for (let i = 0, j = from.length - 3; j >= 0; i += 3, j -= 3) {
    data[j] = from[i];
    data[j + 1] = from[i + 1];
    data[j + 2] = from[i + 2];
  }
  return { data, width: image.width, height: image.height };
}

/** A quarter turn counter-clockwise (numpy's rot90): row y of the result is column width - 1 - y. */
export function rotate90CounterClockwise(image: RgbImage): RgbImage {
  const { width, height } = image;
  const from = image.data;
  const data = new Uint8Array(from.length);
  let to = 0;
  for (let y = 0; y < width; y++) {
    for (let x = 0, i = (width - 1 - y) * 3; x < height; x++, i += width * 3, to += 3) {
      data[to] = from[i];
      data[to + 1] = from[i + 1];
      data[to + 2] = from[i + 2];
    }
  }
  return { data, width: height, height: width };
}
