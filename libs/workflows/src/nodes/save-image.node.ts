import { defineNode, link } from '../node-spec';

/** Stores each image as an Atelier image, one of the job's outputs. */
export default defineNode({
  classType: 'SaveImage',
  displayName: 'Save Image',
  category: 'image',
  description: 'Saves the images as outputs of the job',
  inputs: { required: { images: link('IMAGE'), filename_prefix: { kind: 'string', default: 'ComfyUI' } } },
  outputs: [],
  outputNode: true,
  async run({ images }, runtime) {
    const saved = [];
    for (const image of images) saved.push(await runtime.saveImage(image, { preview: false }));
    return { outputs: [], ui: { images: saved } };
  },
});
