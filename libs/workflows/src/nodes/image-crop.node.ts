import { PRICES } from '@atelier/billing';
import { defineNode, int, link } from '../node-spec';

/** Cuts width × height at (x, y), clamped to the image as ComfyUI does. */
export default defineNode({
  classType: 'ImageCrop',
  displayName: 'Image Crop',
  category: 'image/transform',
  description: 'Cuts a rectangle out of images',
  inputs: { required: { image: link('IMAGE'), width: int(512, 1, 16384), height: int(512, 1, 16384), x: int(0, 0, 16384), y: int(0, 0, 16384) } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.imageOperation },
  async run({ image, width, height, x, y }, runtime) {
    const cropped = [];
    for (const item of image) {
      const left = Math.min(x, item.width - 1);
      const top = Math.min(y, item.height - 1);
      cropped.push(await runtime.crop(item, { left, top, width: Math.min(width, item.width - left), height: Math.min(height, item.height - top) }));
    }
    return { outputs: [cropped] };
  },
});
