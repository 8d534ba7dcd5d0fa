import { combo, defineNode } from '../node-spec';
import { imageIdOf } from '../image-names';

/** One of the caller's images, by the name an upload answered (`<imageId>.png`); its alpha as the mask. */
export default defineNode({
  classType: 'LoadImage',
  displayName: 'Load Image',
  category: 'image',
  description: 'Loads one of your images (uploaded or made by a job)',
  inputs: { required: { image: combo((choices) => choices.images, { imageUpload: true }) } },
  outputs: [
    { type: 'IMAGE', name: 'IMAGE' },
    { type: 'MASK', name: 'MASK' },
  ],
  async run({ image }, runtime) {
    const imageId = imageIdOf(image)!;
    return { outputs: [[await runtime.loadImage(imageId)], [await runtime.loadMask(imageId, 'alpha')]] };
  },
});
