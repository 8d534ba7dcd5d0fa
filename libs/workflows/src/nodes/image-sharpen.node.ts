import { PRICES } from '@atelier/billing';
import { defineNode, float, int, link } from '../node-spec';

export default defineNode({
  classType: 'ImageSharpen',
  displayName: 'Sharpen Image',
  category: 'image/postprocessing',
  description: 'Unsharp mask',
  inputs: { required: { image: link('IMAGE'), sharpen_radius: int(1, 1, 31), sigma: float(1, 0.1, 10, 0.01), alpha: float(1, 0, 5, 0.01) } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.imageOperation },
  async run({ image, sharpen_radius, sigma, alpha }, runtime) {
    const sharpened = [];
    for (const item of image) sharpened.push(await runtime.sharpen(item, sharpen_radius, sigma, alpha));
    return { outputs: [sharpened] };
  },
});
