import { combo, defineNode, fixed } from '../node-spec';
import { imageIdOf } from '../image-names';

/** A channel of one of the caller's images as a mask. */
export default defineNode({
  classType: 'LoadImageMask',
  displayName: 'Load Image (as Mask)',
  category: 'mask',
  description: 'Loads a channel of one of your images as a mask',
  inputs: { required: { image: combo((choices) => choices.images, { imageUpload: true }), channel: fixed('alpha', 'red', 'green', 'blue') } },
  outputs: [{ type: 'MASK', name: 'MASK' }],
  async run({ image, channel }, runtime) {
    return { outputs: [[await runtime.loadMask(imageIdOf(image)!, channel as 'alpha' | 'red' | 'green' | 'blue')]] };
  },
});
