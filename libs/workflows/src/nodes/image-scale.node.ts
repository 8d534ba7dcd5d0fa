import { PRICES } from '@atelier/billing';
import { defineNode, fixed, int, link } from '../node-spec';
import { SCALE_METHODS } from '../scale-methods';

/** Resizes to width × height; 0 for one of them keeps the aspect ratio; `center` crops to fill. */
export default defineNode({
  classType: 'ImageScale',
  displayName: 'Upscale Image',
  category: 'image/upscaling',
  description: 'Resizes images to a width and height',
  inputs: {
    required: {
      image: link('IMAGE'),
      upscale_method: fixed(...SCALE_METHODS),
      width: int(512, 0, 8192),
      height: int(512, 0, 8192),
      crop: fixed('disabled', 'center'),
    },
  },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.imageOperation },
  async run({ image, upscale_method, width, height, crop }, runtime) {
    const scaled = [];
    for (const item of image) scaled.push(await runtime.resize(item, width, height, upscale_method, crop as 'disabled' | 'center'));
    return { outputs: [scaled] };
  },
});
