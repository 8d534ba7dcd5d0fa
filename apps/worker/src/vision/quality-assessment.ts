import type { ImageQuality } from '@atelier/storage';
import { decodeRgb, lumaOf, type RgbPixels } from './rgb-pixels';

/** Each component 0..1 (noise: 1 is noisiest), the score 0..100, and the raw measurements behind them. */
export interface QualityAssessment {
  score: number;
  sharpness: number;
  exposure: number;
  noise: number;
  colorfulness: number;
  measurements: { laplacianVariance: number; meanLuma: number; clipped: number; noiseSigma: number; colorfulnessM: number };
}

/** Analysed at this size (longest side) so that the same picture scores the same at any resolution. */
const ANALYSIS_SIDE = 512;
const WEIGHTS = { sharpness: 0.35, exposure: 0.25, noise: 0.25, colorfulness: 0.15 };

/**
 * A no-reference quality estimate, classical: sharpness from the variance of the Laplacian,
 * exposure from the mean luma and the share of clipped pixels, noise by Immerkær's fast
 * estimate, colourfulness by Hasler and Süsstrunk's metric.
 */
export async function assessQuality(bytes: Buffer): Promise<QualityAssessment> {
  return assessPixels(await decodeRgb(bytes, { maxSide: ANALYSIS_SIDE, failOn: 'none' }));
}

/** What is stored with a generated image: the score and its components, without the raw measurements. */
export async function storedQuality(bytes: Buffer): Promise<ImageQuality> {
  const { score, sharpness, exposure, noise, colorfulness } = await assessQuality(bytes);
  return { score, sharpness, exposure, noise, colorfulness };
}

export function assessPixels(pixels: RgbPixels): QualityAssessment {
  const luma = lumaOf(pixels);
  const laplacianVariance = laplacianVarianceOf(luma, pixels.width, pixels.height);
  const { mean, clipped } = exposureOf(luma);
  const noiseSigma = noiseSigmaOf(luma, pixels.width, pixels.height);
  const colorfulnessM = colorfulnessOf(pixels);
  // White noise of σ adds 20σ² to the 4-neighbour Laplacian's variance: that part is not detail.
  const detail = Math.max(0, laplacianVariance - 20 * noiseSigma ** 2);
  const sharpness = detail / (detail + 100);
  const exposure = Math.max(0, 1 - ((mean - 127.5) / 127.5) ** 2) * Math.max(0, 1 - 2 * clipped);
  const noise = Math.min(1, noiseSigma / 8);
  const colorfulness = Math.min(1, colorfulnessM / 100);
  const score =
    100 * (WEIGHTS.sharpness * sharpness + WEIGHTS.exposure * exposure + WEIGHTS.noise * (1 - noise) + WEIGHTS.colorfulness * Math.min(1, colorfulnessM / 40));
  return {
    score: round(score, 1),
    sharpness: round(sharpness),
    exposure: round(exposure),
    noise: round(noise),
    colorfulness: round(colorfulness),
    measurements: { laplacianVariance: round(laplacianVariance, 1), meanLuma: round(mean, 1), clipped: round(clipped), noiseSigma: round(noiseSigma, 2), colorfulnessM: round(colorfulnessM, 1) },
  };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function laplacianVarianceOf(luma: Float32Array, width: number, height: number): number {
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const value = luma[i - 1] + luma[i + 1] + luma[i - width] + luma[i + width] - 4 * luma[i];
      sum += value;
      squares += value * value;
      count++;
    }
  }
  return count ? squares / count - (sum / count) ** 2 : 0;
}

function exposureOf(luma: Float32Array): { mean: number; clipped: number } {
  let sum = 0;
  let clipped = 0;
  for (const value of luma) {
    sum += value;
    if (value <= 4 || value >= 251) clipped++;
  }
  return { mean: luma.length ? sum / luma.length : 0, clipped: luma.length ? clipped / luma.length : 0 };
}

/** Immerkær (1996): σ = √(π/2) / (6 (W−2)(H−2)) · Σ |I ∗ N|, N the difference of two Laplacians, blind to most edges. */
function noiseSigmaOf(luma: Float32Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, i = y * width + 1; x < width - 1; x++, i++) {
      const corners = luma[i - width - 1] + luma[i - width + 1] + luma[i + width - 1] + luma[i + width + 1];
      const sides = luma[i - width] + luma[i + width] + luma[i - 1] + luma[i + 1];
      sum += Math.abs(corners - 2 * sides + 4 * luma[i]);
    }
  }
  return (Math.sqrt(Math.PI / 2) * sum) / (6 * (width - 2) * (height - 2));
}

/** Hasler & Süsstrunk (2003): M = σ_rgyb + 0.3 μ_rgyb over rg = R − G and yb = (R + G)/2 − B. */
function colorfulnessOf({ data }: RgbPixels): number {
  let rgSum = 0;
  let rgSquares = 0;
  let ybSum = 0;
  let ybSquares = 0;
  const n = data.length / 3;
  for (let p = 0; p < data.length; p += 3) {
    const rg = data[p] - data[p + 1];
    const yb = 0.5 * (data[p] + data[p + 1]) - data[p + 2];
    rgSum += rg;
    rgSquares += rg * rg;
    ybSum += yb;
    ybSquares += yb * yb;
  }
  if (!n) return 0;
  const rgMean = rgSum / n;
  const ybMean = ybSum / n;
  const sigma = Math.sqrt(Math.max(0, rgSquares / n - rgMean ** 2) + Math.max(0, ybSquares / n - ybMean ** 2));
  return sigma + 0.3 * Math.sqrt(rgMean ** 2 + ybMean ** 2);
}
