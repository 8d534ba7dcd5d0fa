import sharp from 'sharp';
import type { ClassicStyle } from '@atelier/workflows';
import { clampByte, decodeRgb, encodeRgb, lumaOf, type RgbPixels } from './rgb-pixels';

/**
 * Classical image filters, not neural style transfer: edge-preserving smoothing with dark edges
 * (cartoon), a colour-dodge pencil sketch, the same tinted by the colours (pencil-color), a few
 * levels per channel (posterize), and the Kuwahara filter's brush strokes (oil). PNG out, the
 * input's size (larger inputs are worked on at most 2048 px a side).
 */
export async function stylize(bytes: Buffer, style: ClassicStyle): Promise<Buffer> {
  const pixels = await decodeRgb(bytes, { maxSide: 2048 });
  const styled = await STYLE_FUNCTIONS[style](pixels);
  return encodeRgb(styled).png().toBuffer();
}

const STYLE_FUNCTIONS: Record<ClassicStyle, (pixels: RgbPixels) => Promise<RgbPixels> | RgbPixels> = {
  cartoon,
  sketch: async (pixels) => greyToRgb(await pencilSketch(pixels), pixels),
  'pencil-color': pencilColor,
  posterize: (pixels) => posterize(pixels, 4),
  oil: (pixels) => kuwahara(pixels, Math.max(3, Math.round(Math.min(pixels.width, pixels.height) / 120))),
};

/** Bilateral filter: a neighbour counts by its distance and by how close its colour is, so edges stay sharp. */
export function bilateral({ data, width, height }: RgbPixels, radius: number, sigmaSpace: number, sigmaColour: number): RgbPixels {
  const out = new Uint8Array(data.length);
  const spatial: number[] = [];
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) spatial.push(Math.exp(-(dx * dx + dy * dy) / (2 * sigmaSpace ** 2)));
  const range = new Float32Array(3 * 255 * 255 + 1);
  for (let d = 0; d < range.length; d++) range[d] = Math.exp(-d / (2 * sigmaColour ** 2));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      let r = 0, g = 0, b = 0, total = 0, k = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        const yy = Math.min(height - 1, Math.max(0, y + dy));
        for (let dx = -radius; dx <= radius; dx++, k++) {
          const q = (yy * width + Math.min(width - 1, Math.max(0, x + dx))) * 3;
          const dr = data[q] - data[p], dg = data[q + 1] - data[p + 1], db = data[q + 2] - data[p + 2];
          const weight = spatial[k] * range[dr * dr + dg * dg + db * db];
          r += weight * data[q];
          g += weight * data[q + 1];
          b += weight * data[q + 2];
          total += weight;
        }
      }
      out[p] = clampByte(r / total);
      out[p + 1] = clampByte(g / total);
      out[p + 2] = clampByte(b / total);
    }
  }
  return { data: out, width, height };
}

/** Smoothed flat colours (bilateral twice, then 8 levels a channel) with the smoothed image's strong edges drawn dark. */
async function cartoon(pixels: RgbPixels): Promise<RgbPixels> {
  const smooth = bilateral(bilateral(pixels, 2, 3, 25), 2, 3, 25);
  const flat = posterize(smooth, 8);
  const edges = await sharp(Buffer.from(smooth.data), { raw: { width: smooth.width, height: smooth.height, channels: 3 } })
    .greyscale()
    .median(3)
    .convolve({ width: 3, height: 3, kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1] })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const out = flat.data;
  for (let i = 0; i < edges.length; i++) {
    if (edges[i] > 40) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = 20;
  }
  return flat;
}

/** Colour dodge of the grey image by its blurred negative: flat areas go white, edges stay as pencil strokes. */
async function pencilSketch(pixels: RgbPixels): Promise<Uint8Array> {
  const grey = lumaOf(pixels);
  const negative = Buffer.alloc(grey.length);
  for (let i = 0; i < grey.length; i++) negative[i] = 255 - clampByte(grey[i]);
  const blurred = await sharp(negative, { raw: { width: pixels.width, height: pixels.height, channels: 1 } })
    .blur(Math.max(2, Math.min(pixels.width, pixels.height) / 80))
    .extractChannel(0) // sharp widens a one-channel raw input to three
    .raw()
    .toBuffer();
  const sketch = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) sketch[i] = clampByte((grey[i] * 255) / Math.max(1, 255 - blurred[i]));
  return sketch;
}

async function pencilColor(pixels: RgbPixels): Promise<RgbPixels> {
  const sketch = await pencilSketch(pixels);
  const out = new Uint8Array(pixels.data.length);
  for (let i = 0; i < sketch.length; i++) {
    for (let c = 0; c < 3; c++) out[3 * i + c] = clampByte((sketch[i] / 255) * (0.45 * 255 + 0.55 * pixels.data[3 * i + c]));
  }
  return { data: out, width: pixels.width, height: pixels.height };
}

function greyToRgb(grey: Uint8Array, { width, height }: RgbPixels): RgbPixels {
  const data = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = grey[i];
  return { data, width, height };
}

/** `levels` evenly spaced values per channel. */
export function posterize({ data, width, height }: RgbPixels, levels: number): RgbPixels {
  const step = 255 / (levels - 1);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(Math.round(data[i] / step) * step);
  return { data: out, width, height };
}

/**
 * Kuwahara filter, the classical painterly one: of the four (r+1)² squares that meet at a pixel,
 * the pixel takes the mean colour of the one whose brightness varies least, so areas flatten into
 * strokes while edges stay. Summed-area tables make each pixel cost the same whatever r.
 */
export function kuwahara({ data, width, height }: RgbPixels, radius: number): RgbPixels {
  const stride = width + 1;
  const sums = [0, 1, 2, 3].map(() => new Int32Array(stride * (height + 1)));
  const squares = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    const row = [0, 0, 0, 0];
    let rowSquares = 0;
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      const luma = (data[p] + data[p + 1] + data[p + 2]) / 3;
      row[0] += data[p];
      row[1] += data[p + 1];
      row[2] += data[p + 2];
      row[3] += Math.round(luma);
      rowSquares += luma * luma;
      const at = (y + 1) * stride + x + 1;
      for (let c = 0; c < 4; c++) sums[c][at] = sums[c][at - stride] + row[c];
      squares[at] = squares[at - stride] + rowSquares;
    }
  }
  const box = (table: ArrayLike<number>, x0: number, y0: number, x1: number, y1: number) =>
    table[(y1 + 1) * stride + x1 + 1] - table[y0 * stride + x1 + 1] - table[(y1 + 1) * stride + x0] + table[y0 * stride + x0];
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = Infinity;
      let choice = [0, 0, 0, 0];
      for (const [x0, x1] of [[Math.max(0, x - radius), x], [x, Math.min(width - 1, x + radius)]]) {
        for (const [y0, y1] of [[Math.max(0, y - radius), y], [y, Math.min(height - 1, y + radius)]]) {
          const n = (x1 - x0 + 1) * (y1 - y0 + 1);
          const mean = box(sums[3], x0, y0, x1, y1) / n;
          const variance = box(squares, x0, y0, x1, y1) / n - mean * mean;
          if (variance < best) {
            best = variance;
            choice = [x0, y0, x1, y1, n];
          }
        }
      }
      const [x0, y0, x1, y1, n] = choice;
      const p = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out[p + c] = clampByte(box(sums[c], x0, y0, x1, y1) / n);
    }
  }
  return { data: out, width, height };
}
