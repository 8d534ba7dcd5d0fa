import sharp from 'sharp';

/** img2img's source: EXIF-oriented, cropped to the requested size, as RGB bytes. */
export async function loadInitImage(image: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(image).rotate().resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer();
}

/**
 * An inpainting mask, cropped as the init image: one byte per pixel, its luminance (transparent
 * counts as black, i.e. kept). White (≥ 128) is repainted.
 */
export async function loadMaskImage(image: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(image).rotate().resize(width, height, { fit: 'cover' }).flatten({ background: '#000000' }).greyscale().extractChannel(0).raw().toBuffer();
}
