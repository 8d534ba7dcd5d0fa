/** A face candidate in normalised [0, 1] coordinates of the model input (letterboxed square). */
export interface NormalizedDetection {
  score: number;
  xMin: number;
  yMin: number;
  width: number;
  height: number;
  /** BlazeFace order: right eye, left eye, nose tip, mouth, right ear tragion, left ear tragion. */
  keypoints: Array<{ x: number; y: number }>;
}

/** Intersection over union of two boxes; 0 when either has no area. */
export function intersectionOverUnion(a: NormalizedDetection, b: NormalizedDetection): number {
  const width = Math.min(a.xMin + a.width, b.xMin + b.width) - Math.max(a.xMin, b.xMin);
  const height = Math.min(a.yMin + a.height, b.yMin + b.height) - Math.max(a.yMin, b.yMin);
  if (width <= 0 || height <= 0) return 0;
  const inter = width * height;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}
