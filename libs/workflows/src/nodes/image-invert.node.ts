import { PRICES } from '@atelier/billing';
import { defineNode, link } from '../node-spec';

export default defineNode({
  classType: 'ImageInvert',
  displayName: 'Invert Image',
  category: 'image',
  description: 'Inverts the colours',
  inputs: { required: { image: link('IMAGE') } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.imageOperation },
  async run({ image }, runtime) {
    const inverted = [];
    for (const item of image) inverted.push(await runtime.invert(item));
    return { outputs: [inverted] };
  },
});
