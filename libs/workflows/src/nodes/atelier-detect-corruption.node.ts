import { PRICES } from '@atelier/billing';
import { defineNode, link } from '../node-spec';

/** The `detect-corruption` job type as a node: each image's report in the UI result. */
export default defineNode({
  classType: 'AtelierDetectCorruption',
  displayName: 'Detect Corruption',
  category: 'atelier/analysis',
  description: 'Flags garbled images: grey or green blocks, partial fill, stripes, shuffled blocks (classical)',
  inputs: { required: { image: link('IMAGE') } },
  outputs: [],
  outputNode: true,
  cost: { rule: PRICES.analysis },
  async run({ image }, runtime) {
    const reports = [];
    for (const item of image) reports.push(await runtime.detectCorruption(item));
    return { outputs: [], ui: { corruption: reports } };
  },
});
