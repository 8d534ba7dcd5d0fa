import sharp from 'sharp';

/** img2img's source: EXIF-oriented, cropped to the requested size, as RGB bytes. */
export async function loadInitImage(image: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(image).rotate().resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer();
}
