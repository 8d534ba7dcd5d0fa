import { defineNode, int } from '../node-spec';

/** A batch of solid-colour images (color as 0xRRGGBB). */
export default defineNode({
  classType: 'EmptyImage',
  displayName: 'EmptyImage',
  category: 'image',
  description: 'Solid-colour images',
  inputs: { required: { width: int(512, 1, 8192), height: int(512, 1, 8192), batch_size: int(1, 1, 64), color: int(0, 0, 0xffffff) } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  async run({ width, height, batch_size, color }, runtime) {
    const image = await runtime.solid(width, height, color);
    return { outputs: [Array.from({ length: batch_size }, () => image)] };
  },
});
