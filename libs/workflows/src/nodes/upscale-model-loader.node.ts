import { combo, defineNode } from '../node-spec';

/** A super-resolution model of this install, or `lanczos` for plain resampling (what `upscale` jobs do without a model). */
export const LANCZOS = 'lanczos';

export default defineNode({
  classType: 'UpscaleModelLoader',
  displayName: 'Load Upscale Model',
  category: 'loaders',
  description: 'Picks a super-resolution model (or lanczos)',
  inputs: { required: { model_name: combo((choices) => [...choices.upscaleModels, LANCZOS]) } },
  outputs: [{ type: 'UPSCALE_MODEL', name: 'UPSCALE_MODEL' }],
  async run({ model_name }) {
    return { outputs: [{ model: model_name }] };
  },
});
