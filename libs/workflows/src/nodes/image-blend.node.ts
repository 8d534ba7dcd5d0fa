import { PRICES } from '@atelier/billing';
import { defineNode, fixed, float, link } from '../node-spec';

/** image2 over image1 (resized to it), mixed by blend_factor in the blend mode. */
export default defineNode({
  classType: 'ImageBlend',
  displayName: 'Image Blend',
  category: 'image/postprocessing',
  description: 'Blends two images',
  inputs: {
    required: {
      image1: link('IMAGE'),
      image2: link('IMAGE'),
      blend_factor: float(0.5, 0, 1, 0.01),
      blend_mode: fixed('normal', 'multiply', 'screen', 'overlay', 'soft_light', 'difference'),
    },
  },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.imageOperation },
  async run({ image1, image2, blend_factor, blend_mode }, runtime) {
    const blended = [];
    for (const [i, base] of image1.entries()) blended.push(await runtime.blend(base, image2[Math.min(i, image2.length - 1)], blend_factor, blend_mode));
    return { outputs: [blended] };
  },
});
