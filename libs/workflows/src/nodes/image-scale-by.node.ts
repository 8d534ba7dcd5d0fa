import { PRICES } from '@atelier/billing';
import { defineNode, fixed, float, link } from '../node-spec';
import { SCALE_METHODS } from '../scale-methods';

/** Resizes by a factor. */
export default defineNode({
  classType: 'ImageScaleBy',
  displayName: 'Upscale Image By',
  category: 'image/upscaling',
  description: 'Resizes images by a factor',
  inputs: { required: { image: link('IMAGE'), upscale_method: fixed(...SCALE_METHODS), scale_by: float(1, 0.01, 8, 0.01) } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.imageOperation },
  async run({ image, upscale_method, scale_by }, runtime) {
    const scaled = [];
    for (const item of image) {
      scaled.push(await runtime.resize(item, Math.max(1, Math.round(item.width * scale_by)), Math.max(1, Math.round(item.height * scale_by)), upscale_method, 'disabled'));
    }
    return { outputs: [scaled] };
  },
});
