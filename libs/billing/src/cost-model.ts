/**
 * Credits a job costs, quoted before it runs. Generation scales with pixels x steps x batch
 * (ten credits per 512x512, 20-step image); analysis and image operations are flat.
 */
export function quoteJobCost(type: string, input: Record<string, unknown>): number {
  switch (type) {
    case 'txt2img':
    case 'img2img': {
      const pixels = Number(input.width ?? 512) * Number(input.height ?? 512);
      const units = (pixels / (512 * 512)) * (Number(input.steps ?? 20) / 20) * Number(input.batch ?? 1);
      return Math.max(1, Math.ceil(units * 10));
    }
    case 'upscale':
      return 5;
    case 'ocr':
    case 'detect-faces':
    case 'detect-lines':
      return 2;
    default:
      return 1;
  }
}
