import { PRICES } from '@atelier/billing';
import { CLASSIC_STYLES, type ClassicStyle } from '../classic-styles';
import { defineNode, fixed, link } from '../node-spec';

/** The `stylize` job type as a node: classical filters, not a neural style model. */
export default defineNode({
  classType: 'AtelierStylize',
  displayName: 'Stylize (classical)',
  category: 'atelier/image',
  description: 'Cartoon, sketch, pencil-color, posterize or oil: classical filters, not neural style transfer',
  inputs: { required: { image: link('IMAGE'), style: fixed(...CLASSIC_STYLES) } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  cost: { rule: PRICES.imageOperation },
  async run({ image, style }, runtime) {
    const styled = [];
    for (const item of image) styled.push(await runtime.stylize(item, style as ClassicStyle));
    return { outputs: [styled] };
  },
});
