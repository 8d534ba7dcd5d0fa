import type { NormalizedDetection } from './detection';
import type { DetectedFace } from './face-detection-result';
import { type Letterbox, toImagePixels } from './letterbox';

/** Maps detections out of the letterbox into whole-pixel image coordinates, clamped to the image. */
export function toImageFaces(detections: NormalizedDetection[], letterbox: Letterbox): DetectedFace[] {
  const clampX = (x: number) => Math.round(Math.min(letterbox.imageWidth, Math.max(0, x)));
  const clampY = (y: number) => Math.round(Math.min(letterbox.imageHeight, Math.max(0, y)));
  const faces = detections.map((d): DetectedFace => {
    const topLeft = toImagePixels(letterbox, d.xMin, d.yMin);
    const bottomRight = toImagePixels(letterbox, d.xMin + d.width, d.yMin + d.height);
    const x = clampX(topLeft.x);
    const y = clampY(topLeft.y);
    return {
      box: { x, y, width: clampX(bottomRight.x) - x, height: clampY(bottomRight.y) - y },
      score: Math.round(d.score * 1000) / 1000,
      keypoints: d.keypoints.map((k) => {
        const p = toImagePixels(letterbox, k.x, k.y);
        return { x: clampX(p.x), y: clampY(p.y) };
      }),
    };
  });
  // A candidate that lies wholly in the padding collapses to nothing once clamped.
  return faces.filter((f) => f.box.width > 0 && f.box.height > 0);
}
