import { PRICES } from '@atelier/billing';
import { defineNode, link } from '../node-spec';

/** The `detect-lines` job type as a node: the line map out, the segments in the UI result. */
export default defineNode({
  classType: 'AtelierDetectLines',
  displayName: 'Detect Lines',
  category: 'atelier/analysis',
  description: 'Finds straight line segments (M-LSD); outputs the line map',
  inputs: { required: { image: link('IMAGE') } },
  outputs: [{ type: 'IMAGE', name: 'IMAGE' }],
  outputNode: true,
  cost: { rule: PRICES.analysis },
  async run({ image }, runtime) {
    const maps = [];
    const segments = [];
    for (const item of image) {
      const result = await runtime.detectLines(item);
      maps.push(result.map);
      segments.push(result.segments);
    }
    return { outputs: [maps], ui: { segments } };
  },
});
