import { defineNode, link } from '../node-spec';
import { workflowErrors } from '../workflow-errors';

/** The sampled images of a latent (Atelier's samplers decode as they go: see values.ts Latent). */
export default defineNode({
  classType: 'VAEDecode',
  displayName: 'VAE Decode',
  category: 'latent',
  description: 'Turns a sampled latent into images',
  inputs: { required: { samples: link('LATENT'), vae: link('VAE') } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  async run({ samples }) {
    if (!samples.images?.length) throw workflowErrors('WORKFLOW_NODE_FAILED', 'VAEDecode got an empty latent: sample it with a KSampler first');
    return { outputs: [samples.images] };
  },
});
