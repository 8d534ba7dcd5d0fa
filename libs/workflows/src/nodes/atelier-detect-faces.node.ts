import { PRICES } from '@atelier/billing';
import { defineNode, link } from '../node-spec';

/** The `detect-faces` job type as a node: the faces of each image in the UI result. */
export default defineNode({
  classType: 'AtelierDetectFaces',
  displayName: 'Detect Faces',
  category: 'atelier/analysis',
  description: 'Finds faces (BlazeFace) with six keypoints each',
  inputs: { required: { image: link('IMAGE') } },
  outputs: [],
  outputNode: true,
  cost: { rule: PRICES.analysis },
  async run({ image }, runtime) {
    const results = [];
    for (const item of image) results.push(await runtime.detectFaces(item));
    return { outputs: [], ui: { faces: results } };
  },
});
