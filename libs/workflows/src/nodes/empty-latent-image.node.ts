import { defineNode, int } from '../node-spec';

/** The size and batch of what a sampler makes from nothing; bounds are the generation pipeline's. */
export default defineNode({
  classType: 'EmptyLatentImage',
  displayName: 'Empty Latent Image',
  category: 'latent',
  description: 'Width, height and batch size for a sampler to start from noise',
  inputs: {
    required: {
      width: int(512, 64, 2048, { step: 8, multipleOf: 8 }),
      height: int(512, 64, 2048, { step: 8, multipleOf: 8 }),
      batch_size: int(1, 1, 8),
    },
  },
  outputs: [{ type: 'LATENT', name: 'LATENT' }],
  async run({ width, height, batch_size }) {
    return { outputs: [{ width, height, batch: batch_size }] };
  },
});
