import { type RgbImage, resizeRgb } from './rgb-image';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** The DB detector's input size: longest side at most `maxSide` (never enlarged), both sides multiples of 32. */
export function detInputSize(width: number, height: number, maxSide = 960): { width: number; height: number } {
  const ratio = Math.min(1, maxSide / Math.max(width, height));
  const snap = (side: number) => Math.max(32, Math.round((side * ratio) / 32) * 32);
  return { width: snap(width), height: snap(height) };
}

/** RGB bytes to ImageNet-normalised float planes (NCHW without the batch). */
export function imageNetNchw(image: RgbImage): Float32Array {
  const plane = image.width * image.height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (image.data[i * 3 + c] / 255 - MEAN[c]) / STD[c];
  }
  return out;
}

/** The detector's input tensor data, [1, 3, height, width]. */
export async function detInput(image: RgbImage, maxSide = 960): Promise<{ data: Float32Array; width: number; height: number }> {
  const size = detInputSize(image.width, image.height, maxSide);
  return { data: imageNetNchw(await resizeRgb(image, size.width, size.height)), ...size };
}
