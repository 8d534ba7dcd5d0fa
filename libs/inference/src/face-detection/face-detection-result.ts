export interface FacePoint {
  x: number;
  y: number;
}

export interface DetectedFace {
  /** Pixels of the input image after EXIF orientation, clamped to the image. */
  box: { x: number; y: number; width: number; height: number };
  /** 0..1, three decimals. */
  score: number;
  /** Right eye, left eye, nose tip, mouth, right ear tragion, left ear tragion (the subject's sides). */
  keypoints: FacePoint[];
}

export interface FaceDetectionResult {
  /** Highest score first. */
  faces: DetectedFace[];
}
