import { combo, defineNode } from '../node-spec';

/** The txt2img/img2img models of this install, by model id: MODEL, CLIP and VAE all name it. */
export default defineNode({
  classType: 'CheckpointLoaderSimple',
  displayName: 'Load Checkpoint',
  category: 'loaders',
  description: 'Loads a generation model (a model id of GET /v1/models)',
  inputs: { required: { ckpt_name: combo((choices) => choices.checkpoints) } },
  outputs: [
    { type: 'MODEL', name: 'MODEL' },
    { type: 'CLIP', name: 'CLIP' },
    { type: 'VAE', name: 'VAE' },
  ],
  async run({ ckpt_name }) {
    const ref = { model: ckpt_name };
    return { outputs: [ref, ref, ref] };
  },
});
