import { PRICES } from '@atelier/billing';
import { defineNode, float, int, link } from '../node-spec';

export default defineNode({
  classType: 'ImageBlur',
  displayName: 'Blur Image',
  category: 'image/postprocessing',
  description: 'Gaussian blur',
  inputs: { required: { image: link('IMAGE'), blur_radius: int(1, 1, 31), sigma: float(1, 0.1, 10, 0.1) } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.imageOperation },
  async run({ image, blur_radius, sigma }, runtime) {
    const blurred = [];
    for (const item of image) blurred.push(await runtime.blur(item, blur_radius, sigma));
    return { outputs: [blurred] };
  },
});
