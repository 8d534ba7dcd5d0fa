/** ComfyUI's ImageBlend modes on 0..1 channel values (comfy_extras/nodes_post_processing.py). */
const softLightG = (a: number) => (a <= 0.25 ? ((16 * a - 12) * a + 4) * a : Math.sqrt(a));

export const BLEND_MODES: Record<string, (a: number, b: number) => number> = {
  normal: (_a, b) => b,
  multiply: (a, b) => a * b,
  screen: (a, b) => 1 - (1 - a) * (1 - b),
  overlay: (a, b) => (a <= 0.5 ? 2 * a * b : 1 - 2 * (1 - a) * (1 - b)),
  soft_light: (a, b) => (b <= 0.5 ? a - (1 - 2 * b) * a * (1 - a) : a + (2 * b - 1) * (softLightG(a) - a)),
  difference: (a, b) => a - b,
};

/** `base` mixed with blend(base, top) by `factor`, clamped: ComfyUI's result = a·(1−f) + blend(a, b)·f. */
export function blendPixels(base: Buffer, top: Buffer, factor: number, mode: string): Buffer {
  const blend = BLEND_MODES[mode] ?? BLEND_MODES.normal;
  const out = Buffer.alloc(base.length);
  for (let i = 0; i < base.length; i++) {
    const a = base[i] / 255;
    const value = a * (1 - factor) + blend(a, top[i] / 255) * factor;
    out[i] = Math.round(Math.min(1, Math.max(0, value)) * 255);
  }
  return out;
}

/** Unsharp mask as ComfyUI's ImageSharpen: image + alpha·(image − blurred), clamped. */
export function sharpenPixels(image: Buffer, blurred: Buffer, alpha: number): Buffer {
  const out = Buffer.alloc(image.length);
  for (let i = 0; i < image.length; i++) out[i] = Math.round(Math.min(255, Math.max(0, image[i] + alpha * (image[i] - blurred[i]))));
  return out;
}
