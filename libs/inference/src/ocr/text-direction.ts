/** The direction classifier's input width (its height is LINE_HEIGHT). */
export const CLS_WIDTH = 192;

/**
 * Which crops to turn 180 degrees, from the classifier's [n, 2] softmax (label 0: upright,
 * 1: upside down): only confident calls, since turning upright text would garble it.
 */
export function upsideDown(probs: Float32Array, count: number, threshold = 0.9): boolean[] {
  return Array.from({ length: count }, (_, i) => probs[i * 2 + 1] > probs[i * 2] && probs[i * 2 + 1] > threshold);
}
