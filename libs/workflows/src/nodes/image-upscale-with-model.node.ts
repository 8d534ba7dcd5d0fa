import { PRICES } from '@atelier/billing';
import { defineNode, link } from '../node-spec';
import { LANCZOS } from './upscale-model-loader.node';

/** ×4 with the upscale model, tile by tile (progress per tile), as `upscale` jobs do. Priced as one. */
export default defineNode({
  classType: 'ImageUpscaleWithModel',
  displayName: 'Upscale Image (using Model)',
  category: 'image/upscaling',
  description: 'Enlarges images ×4 with a super-resolution model',
  inputs: { required: { upscale_model: link('UPSCALE_MODEL'), image: link('IMAGE') } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.upscale },
  async run({ upscale_model, image }, runtime) {
    const upscaled = [];
    for (const item of image) upscaled.push(await runtime.upscale(item, 4, upscale_model.model === LANCZOS ? null : upscale_model.model));
    return { outputs: [upscaled] };
  },
});
