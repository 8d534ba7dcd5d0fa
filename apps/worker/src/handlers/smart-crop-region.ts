export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The largest region of the target's aspect ratio that fits in the image. */
export function largestRegion(imageWidth: number, imageHeight: number, width: number, height: number): Pick<Region, 'width' | 'height'> {
  const aspect = width / height;
  const fitsWidth = imageHeight * aspect <= imageWidth;
  const regionWidth = fitsWidth ? Math.round(imageHeight * aspect) : imageWidth;
  const regionHeight = fitsWidth ? imageHeight : Math.round(imageWidth / aspect);
  return { width: Math.max(1, Math.min(imageWidth, regionWidth)), height: Math.max(1, Math.min(imageHeight, regionHeight)) };
}

/** `size` centred on (cx, cy), moved inside the image where it would stick out. */
export function centredRegion(imageWidth: number, imageHeight: number, size: Pick<Region, 'width' | 'height'>, cx: number, cy: number): Region {
  const clamp = (value: number, max: number) => Math.min(Math.max(0, Math.round(value)), max);
  return {
    left: clamp(cx - size.width / 2, imageWidth - size.width),
    top: clamp(cy - size.height / 2, imageHeight - size.height),
    width: size.width,
    height: size.height,
  };
}

type Box = { x: number; y: number; width: number; height: number };

/**
 * Where to centre the crop: on the box around every face when the group fits in the region, so it
 * stays together; otherwise on the largest face, so at least one face is whole rather than all halved.
 */
export function facesFocus(boxes: Box[], size: Pick<Region, 'width' | 'height'>): { x: number; y: number } {
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  if (right - left <= size.width && bottom - top <= size.height) return { x: (left + right) / 2, y: (top + bottom) / 2 };
  const largest = boxes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  return { x: largest.x + largest.width / 2, y: largest.y + largest.height / 2 };
}
