import { defineNode, link } from '../node-spec';

/** Like SaveImage, marked as a preview (ComfyUI's `temp` images). */
export default defineNode({
  classType: 'PreviewImage',
  displayName: 'Preview Image',
  category: 'image',
  description: 'Shows the images; they are kept as preview outputs of the job',
  inputs: { required: { images: link('IMAGE') } },
  outputs: [],
  outputNode: true,
  async run({ images }, runtime) {
    const saved = [];
    for (const image of images) saved.push({ ...(await runtime.saveImage(image, { preview: true })), preview: true });
    return { outputs: [], ui: { images: saved } };
  },
});
