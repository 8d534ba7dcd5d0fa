import { type RgbImage, resizeRgb } from './rgb-image';

/** The height both the direction classifier and the recogniser read text lines at. */
export const LINE_HEIGHT = 48;

/** A crop's width once scaled to LINE_HEIGHT keeping its aspect, at most `maxWidth`. */
export function lineWidth(crop: RgbImage, maxWidth: number): number {
  return Math.min(maxWidth, Math.max(1, Math.ceil((LINE_HEIGHT * crop.width) / crop.height)));
}

/**
 * A batch of text-line crops as [n, 3, 48, width]: each scaled to height 48 keeping its aspect,
 * RGB mapped to [-1, 1], and padded on the right with 0 (mid grey), as PaddleOCR does.
 */
export async function lineTensor(crops: RgbImage[], width: number): Promise<Float32Array> {
  const plane = LINE_HEIGHT * width;
  const out = new Float32Array(crops.length * 3 * plane);
  const resized = await Promise.all(crops.map((crop) => resizeRgb(crop, lineWidth(crop, width), LINE_HEIGHT)));
  resized.forEach((line, n) => {
    for (let y = 0; y < LINE_HEIGHT; y++) {
      for (let x = 0; x < line.width; x++) {
        const from = (y * line.width + x) * 3;
        for (let c = 0; c < 3; c++) out[(n * 3 + c) * plane + y * width + x] = line.data[from + c] / 127.5 - 1;
      }
    }
  });
  return out;
}
