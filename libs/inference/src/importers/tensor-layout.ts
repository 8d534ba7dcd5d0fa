/**
 * Weight layout changes between TF (channels-last) and ONNX (channels-first). All inputs and
 * outputs are row-major.
 */

/** Conv2D kernel `[kh, kw, in, out]` (HWIO) → ONNX Conv `[out, in, kh, kw]` (OIHW). */
export function hwioToOihw(values: Float32Array, [kh, kw, cin, cout]: number[]): { values: Float32Array; dims: number[] } {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = values[((y * kw + x) * cin + i) * cout + o];
  return { values: out, dims: [cout, cin, kh, kw] };
}

/**
 * Depthwise kernel `[kh, kw, C, M]` → ONNX grouped Conv `[C·M, 1, kh, kw]` with `group = C`:
 * TF numbers the output channels `c·M + m`, as a grouped convolution does.
 */
export function depthwiseToOihw(values: Float32Array, [kh, kw, c, m]: number[]): { values: Float32Array; dims: number[] } {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < c; i++)
        for (let j = 0; j < m; j++) out[((i * m + j) * kh + y) * kw + x] = values[((y * kw + x) * c + i) * m + j];
  return { values: out, dims: [c * m, 1, kh, kw] };
}

/** Conv2DBackpropInput filter `[kh, kw, out, in]` → ONNX ConvTranspose `[in, out, kh, kw]`. */
export function transposedConvToOnnx(values: Float32Array, [kh, kw, cout, cin]: number[]): { values: Float32Array; dims: number[] } {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let o = 0; o < cout; o++)
        for (let i = 0; i < cin; i++) out[((i * cout + o) * kh + y) * kw + x] = values[((y * kw + x) * cout + o) * cin + i];
  return { values: out, dims: [cin, cout, kh, kw] };
}

/**
 * ONNX Conv padding for TF's `padding`: VALID is none; SAME pads `(k−1)·d` in all, the odd pixel
 * at the end (bottom/right). With stride 1 that total is fixed and written out; with a larger
 * stride it depends on the input size, which `auto_pad: SAME_UPPER` computes the same way.
 */
export function convPadding(padding: string, kernel: number[], strides: number[], dilations: number[]): { pads: number[] } | { auto_pad: string } | Record<string, never> {
  const mode = padding.toUpperCase();
  if (mode === 'VALID') return {};
  if (mode !== 'SAME') throw new Error(`padding ${padding} is not supported (SAME or VALID)`);
  if (strides.some((s) => s !== 1)) return { auto_pad: 'SAME_UPPER' };
  const total = kernel.map((k, i) => (k - 1) * dilations[i]);
  return { pads: [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => Math.ceil(t / 2))] };
}
