/**
 * Box mean over a (2r+1)² window, clamped at the borders, via an integral image: O(pixels)
 * whatever the radius.
 */
function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const stride = width + 1;
  const integral = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += src[y * width + x];
      integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const sum = integral[y1 * stride + x1] - integral[y0 * stride + x1] - integral[y1 * stride + x0] + integral[y0 * stride + x0];
      out[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/**
 * He et al.'s guided filter: refines `mask` (0..1, already at the guide's size) so that it is,
 * in every window, a linear function of `guide` (grey 0..1). Where the image has an edge inside
 * the mask's soft transition, the mask gets a step exactly there; flat regions stay smooth.
 * `eps` sets how strong an image edge must be to be followed.
 */
export function guidedFilter(guide: Float32Array, mask: Float32Array, width: number, height: number, r: number, eps: number): Float32Array {
  const n = width * height;
  const ip = new Float32Array(n);
  const ii = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ip[i] = guide[i] * mask[i];
    ii[i] = guide[i] * guide[i];
  }
  const meanI = boxMean(guide, width, height, r);
  const meanP = boxMean(mask, width, height, r);
  const corrIP = boxMean(ip, width, height, r);
  const corrII = boxMean(ii, width, height, r);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const variance = corrII[i] - meanI[i] * meanI[i];
    a[i] = (corrIP[i] - meanI[i] * meanP[i]) / (variance + eps);
    b[i] = meanP[i] - a[i] * meanI[i];
  }
  const meanA = boxMean(a, width, height, r);
  const meanB = boxMean(b, width, height, r);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, meanA[i] * guide[i] + meanB[i]));
  return out;
}

/** Steepens a soft mask around 0.5 (`gain` 1 leaves it as it is): the ramps left between image edges get short. */
export function harden(mask: Float32Array, gain: number): Float32Array {
  return mask.map((v) => Math.min(1, Math.max(0, (v - 0.5) * gain + 0.5)));
}
