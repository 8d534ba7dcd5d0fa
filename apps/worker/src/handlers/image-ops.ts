import sharp from 'sharp';
import { workerErrors } from '../worker-errors';

/** The parameters of each operation: the job types' inputs (libs/jobs definitions) without the image. */
export interface ResizeInput { width?: number; height?: number; fit: keyof sharp.FitEnum }
export interface CropInput { left: number; top: number; width: number; height: number }
export interface FilterInput { filter: 'blur' | 'sharpen' | 'grayscale' | 'edges'; amount?: number }

/** Keeps the input's format for the output so a JPEG stays a JPEG. */
const encode = async (pipeline: sharp.Sharp, input: Buffer) => {
  const { format } = await sharp(input).metadata();
  const target = format === 'jpeg' || format === 'webp' ? format : 'png';
  return pipeline.toFormat(target, target === 'png' ? {} : { quality: 90 }).toBuffer();
};

export function resizeImage(input: Buffer, op: ResizeInput): Promise<Buffer> {
  return encode(sharp(input).rotate().resize({ width: op.width, height: op.height, fit: op.fit }), input);
}

export async function cropImage(input: Buffer, op: CropInput): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(input).rotate().metadata();
  if (op.left + op.width > width || op.top + op.height > height) {
    throw workerErrors('CROP_OUT_OF_BOUNDS', `The crop rectangle goes past the ${width}x${height} image`);
  }
  return encode(sharp(input).rotate().extract({ left: op.left, top: op.top, width: op.width, height: op.height }), input);
}

/** Lanczos-3 enlargement by `scale`, keeping the format: what `upscale` does without a model. */
export async function lanczos(source: Buffer, scale: number): Promise<Buffer> {
  const { width = 0, format } = await sharp(source).rotate().metadata();
  return sharp(source)
    .rotate()
    .resize({ width: width * scale, kernel: 'lanczos3' })
    .toFormat(format === 'jpeg' || format === 'webp' ? format : 'png')
    .toBuffer();
}

const EDGE_KERNEL = { width: 3, height: 3, kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1] };

export function filterImage(input: Buffer, op: FilterInput): Promise<Buffer> {
  const image = sharp(input).rotate();
  switch (op.filter) {
    case 'blur':
      return encode(image.blur(op.amount ?? 2), input);
    case 'sharpen':
      return encode(image.sharpen({ sigma: op.amount ?? 1 }), input);
    case 'grayscale':
      return encode(image.grayscale(), input);
    case 'edges':
      return encode(image.grayscale().convolve(EDGE_KERNEL), input);
  }
}
