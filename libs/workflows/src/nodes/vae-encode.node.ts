import { defineNode, link } from '../node-spec';

/** Images as a latent for img2img: the next KSampler starts from them, at their size. */
export default defineNode({
  classType: 'VAEEncode',
  displayName: 'VAE Encode',
  category: 'latent',
  description: 'Turns images into a latent for a sampler (img2img)',
  inputs: { required: { pixels: link('IMAGE'), vae: link('VAE') } },
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  async run({ pixels }) {
    return { outputs: [{ width: pixels[0].width, height: pixels[0].height, batch: pixels.length, images: pixels }] };
  },
});
