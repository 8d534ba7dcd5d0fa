import { PRICES } from '@atelier/billing';
import { defineNode, link } from '../node-spec';

/** The `assess-quality` job type as a node: each image's no-reference quality in the UI result. */
export default defineNode({
  classType: 'AtelierAssessQuality',
  displayName: 'Assess Quality',
  category: 'atelier/analysis',
  description: 'No-reference quality: sharpness, exposure, noise, colourfulness and a 0–100 score (classical)',
  inputs: { required: { image: link('IMAGE') } },
  outputs: [],
  outputNode: true,
  cost: { rule: PRICES.analysis },
  async run({ image }, runtime) {
    const assessments = [];
    for (const item of image) assessments.push(await runtime.assessQuality(item));
    return { outputs: [], ui: { quality: assessments } };
  },
});
