import sharp from 'sharp';
import { flatFillBlocks, flatTail, gridSeamScore, stripeScore } from './corruption-features';
import { decodeRgb, lumaOf, type RgbPixels } from './rgb-pixels';

export type CorruptionReason = 'undecodable' | 'truncated' | 'decoder-warnings' | 'grey-blocks' | 'green-blocks' | 'partial-fill' | 'stripes' | 'block-seams';

export interface CorruptionReport {
  corrupted: boolean;
  reasons: CorruptionReason[];
  scores: { greyBlocks: number; greenBlocks: number; partialFill: number; stripes: number; blockSeams: number };
}

/** Above these, a score is a reason (bench/RESULTS.md has the rates they give on real photos). */
export const CORRUPTION_THRESHOLDS = { greyBlocks: 0.02, greenBlocks: 0.02, partialFill: 0.03, stripes: 0.3, blockSeams: 0.08 } as const;

/** Larger images are analysed on a centred window of this many pixels a side (on the block grid, so grid signs survive). */
const WINDOW = 2048;

/**
 * "Flower screen" detection, classical: first what the decoder says (a file cut short, or
 * warnings about corrupt data), then the pixels of what it could decode: flat grey or green
 * blocks, a flat fill at the bottom, sharp colour breaks along the block grid, and seams
 * around shuffled blocks.
 */
export async function detectCorruption(bytes: Buffer): Promise<CorruptionReport> {
  const reasons: CorruptionReason[] = [];
  let pixels: RgbPixels;
  try {
    pixels = await decodeRgb(bytes);
  } catch {
    reasons.push((await decodes(bytes, 'truncated')) ? 'decoder-warnings' : 'truncated');
    try {
      pixels = await decodeRgb(bytes, { failOn: 'none' });
    } catch {
      return { corrupted: true, reasons: ['undecodable'], scores: { greyBlocks: 0, greenBlocks: 0, partialFill: 0, stripes: 0, blockSeams: 0 } };
    }
  }
  const window = centredWindow(pixels);
  const fill = flatFillBlocks(window);
  const scores = {
    greyBlocks: round(fill.grey),
    greenBlocks: round(fill.green),
    partialFill: round(flatTail(pixels)),
    stripes: round(stripeScore(window)),
    blockSeams: round(gridSeamScore(window, lumaOf(window))),
  };
  const t = CORRUPTION_THRESHOLDS;
  if (scores.greyBlocks >= t.greyBlocks) reasons.push('grey-blocks');
  if (scores.greenBlocks >= t.greenBlocks) reasons.push('green-blocks');
  if (scores.partialFill >= t.partialFill) reasons.push('partial-fill');
  if (scores.stripes >= t.stripes) reasons.push('stripes');
  if (scores.blockSeams >= t.blockSeams) reasons.push('block-seams');
  return { corrupted: reasons.length > 0, reasons, scores };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

async function decodes(bytes: Buffer, failOn: sharp.FailOnOptions): Promise<boolean> {
  try {
    await sharp(bytes, { failOn }).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}

function centredWindow(pixels: RgbPixels): RgbPixels {
  if (pixels.width <= WINDOW && pixels.height <= WINDOW) return pixels;
  const width = Math.min(WINDOW, pixels.width);
  const height = Math.min(WINDOW, pixels.height);
  const left = Math.floor((pixels.width - width) / 32) * 16;
  const top = Math.floor((pixels.height - height) / 32) * 16;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * pixels.width + left) * 3;
    data.set(pixels.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { data, width, height };
}
