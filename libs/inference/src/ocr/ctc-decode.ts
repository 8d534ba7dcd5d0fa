/**
 * The recogniser's classes: CTC blank, one per dictionary line, then a space (PaddleOCR's
 * use_space_char, which the PP-OCR Chinese models are trained with).
 */
export function ctcCharset(dictionary: string): string[] {
  const lines = dictionary.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}

/**
 * Greedy CTC decoding of one line's [steps, classes] softmax: the best class per step, repeats
 * merged, blanks dropped; confidence is the mean probability of the characters kept (0 if none).
 */
export function ctcGreedyDecode(probs: Float32Array, steps: number, charset: string[]): { text: string; confidence: number } {
  const classes = charset.length;
  if (probs.length !== steps * classes) {
    throw new Error(`CTC output has ${probs.length} values, expected ${steps} steps x ${classes} classes`);
  }
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0, row = 0; t < steps; t++, row += classes) {
    let best = 0;
    let bestP = probs[row];
    for (let k = 1; k < classes; k++) {
      if (probs[row + k] > bestP) {
        best = k;
        bestP = probs[row + k];
      }
    }
    if (best !== 0 && best !== previous) {
      text += charset[best];
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept === 0 ? 0 : sum / kept };
}
