/** An SSD anchor centre, normalised to [0, 1] of the model input. Sizes are fixed at 1. */
export interface Anchor {
  readonly x: number;
  readonly y: number;
}

export interface SsdAnchorOptions {
  inputSize: number;
  /** One stride per layer; consecutive layers with the same stride share a feature map. */
  strides: number[];
  /** Anchors each layer adds per cell: one aspect ratio (1.0) plus the interpolated scale. */
  anchorsPerLayer: number;
  anchorOffset: number;
}

/** MediaPipe face_detection_front (short-range) settings. */
export const BLAZEFACE_FRONT_ANCHORS: SsdAnchorOptions = {
  inputSize: 128,
  strides: [8, 16, 16, 16],
  anchorsPerLayer: 2,
  anchorOffset: 0.5,
};

/**
 * MediaPipe's SsdAnchorsCalculator with fixed_anchor_size: layers sharing a stride are
 * merged, and anchors run row by row, cell by cell, which is the model's output order.
 * For the front model: 16x16 cells x 2 + 8x8 cells x 6 = 896 anchors.
 */
export function generateAnchors(options: SsdAnchorOptions): Anchor[] {
  const anchors: Anchor[] = [];
  const { strides } = options;
  let layer = 0;
  while (layer < strides.length) {
    let perCell = 0;
    let last = layer;
    while (last < strides.length && strides[last] === strides[layer]) {
      perCell += options.anchorsPerLayer;
      last++;
    }
    const cells = Math.ceil(options.inputSize / strides[layer]);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        const anchor = { x: (x + options.anchorOffset) / cells, y: (y + options.anchorOffset) / cells };
        for (let n = 0; n < perCell; n++) anchors.push(anchor);
      }
    }
    layer = last;
  }
  return anchors;
}
