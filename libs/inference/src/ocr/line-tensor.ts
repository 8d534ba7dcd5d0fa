import { type RgbImage, resizeRgb } from './rgb-image';

/** The height both the direction classifier and the recogniser read text lines at. */
export const LINE_HEIGHT = 48;

/** A crop's width once scaled to LINE_HEIGHT keeping its aspect, at most `maxWidth`. */
export function lineWidth(crop: RgbImage, maxWidth: number): number {
  return Math.min(maxWidth, Math.max(1, Math.ceil((LINE_HEIGHT * crop.width) / crop.height)));
}

/** Each byte value mapped to [-1, 1]: v / 127.5 - 1. */
const TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 127.5 - 1);

/**
 * A batch of text-line crops as [n, 3, 48, width]: each scaled to height 48 keeping its aspect,
 * RGB mapped to [-1, 1], and padded on the right with 0 (mid grey), as PaddleOCR does.
 */
export async function lineTensor(crops: RgbImage[], width: number): Promise<Float32Array> {
  const plane = LINE_HEIGHT * width;
  const out = new Float32Array(crops.length * 3 * plane);
  const resized = await Promise.all(crops.map((crop) => resizeRgb(crop, lineWidth(crop, width), LINE_HEIGHT)));
  resized.forEach((line, n) => {
    const { data } = line;
    for (let c = 0; c < 3; c++) {
      const channel = (n * 3 + c) * plane;
      for (let y = 0, from = c; y < LINE_HEIGHT; y++) {
        for (let to = channel + y * width, end = to + line.width; to < end; to++, from += 3) out[to] = TO_UNIT[data[from]];
      }
    }
  });
  return out;
}
