import { type RgbImage, resizeRgb } from './rgb-image';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** The DB detector's input size: longest side at most `maxSide` (never enlarged), both sides multiples of 32. */
export function detInputSize(width: number, height: number, maxSide = 960): { width: number; height: number } {
  const ratio = Math.min(1, maxSide / Math.max(width, height));
  const snap = (side: number) => Math.max(32, Math.round((side * ratio) / 32) * 32);
  return { width: snap(width), height: snap(height) };
}

/** Each byte value's normalised float, per channel: the same float32 values as (v / 255 - mean) / std. */
const CHANNEL_TABLES = MEAN.map((mean, c) => Float32Array.from({ length: 256 }, (_, v) => (v / 255 - mean) / STD[c]));

/** RGB bytes to ImageNet-normalised float planes (NCHW without the batch), into `out` when given. */
export function imageNetNchw(image: RgbImage, out: Float32Array = new Float32Array(3 * image.width * image.height)): Float32Array {
  const { data } = image;
  const plane = image.width * image.height;
  if (out.length !== 3 * plane) throw new Error(`imageNetNchw: ${out.length} floats given for ${image.width}x${image.height}x3`);
  const [r, g, b] = CHANNEL_TABLES;
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    out[i] = r[data[j]];
    out[plane + i] = g[data[j + 1]];
    out[2 * plane + i] = b[data[j + 2]];
  }
  return out;
}

/** The detector's input tensor data, [1, 3, height, width], into `out` (3 * width * height floats) when given. */
export async function detInput(image: RgbImage, maxSide = 960, out?: Float32Array): Promise<{ data: Float32Array; width: number; height: number }> {
  const size = detInputSize(image.width, image.height, maxSide);
  return { data: imageNetNchw(await resizeRgb(image, size.width, size.height), out), ...size };
}
