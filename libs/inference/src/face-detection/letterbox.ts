/**
 * Where an image of `imageWidth` x `imageHeight` lands inside a `size` x `size` square when
 * scaled to fit (aspect kept) and centred with padding: the model sees undistorted faces.
 */
export interface Letterbox {
  size: number;
  imageWidth: number;
  imageHeight: number;
  scaledWidth: number;
  scaledHeight: number;
  padLeft: number;
  padTop: number;
}

export function computeLetterbox(imageWidth: number, imageHeight: number, size: number): Letterbox {
  if (!(imageWidth > 0 && imageHeight > 0)) throw new Error(`Invalid image size ${imageWidth}x${imageHeight}`);
  const scale = Math.min(size / imageWidth, size / imageHeight);
  const scaledWidth = Math.max(1, Math.min(size, Math.round(imageWidth * scale)));
  const scaledHeight = Math.max(1, Math.min(size, Math.round(imageHeight * scale)));
  return {
    size,
    imageWidth,
    imageHeight,
    scaledWidth,
    scaledHeight,
    padLeft: Math.floor((size - scaledWidth) / 2),
    padTop: Math.floor((size - scaledHeight) / 2),
  };
}

/** A point normalised to [0, 1] of the letterboxed square, in image pixels (unclamped). */
export function toImagePixels(letterbox: Letterbox, x: number, y: number): { x: number; y: number } {
  const { size, padLeft, padTop, scaledWidth, scaledHeight, imageWidth, imageHeight } = letterbox;
  return {
    x: ((x * size - padLeft) * imageWidth) / scaledWidth,
    y: ((y * size - padTop) * imageHeight) / scaledHeight,
  };
}
