import { PRICES } from '@atelier/billing';
import { defineNode, link } from '../node-spec';

/** The `ocr` job type as a node: the text out, and the lines with their boxes in the UI result. */
export default defineNode({
  classType: 'AtelierOCR',
  displayName: 'Read Text (OCR)',
  category: 'atelier/analysis',
  description: 'Reads the text in images (PaddleOCR)',
  inputs: { required: { image: link('IMAGE') } },
  outputs: [{ type: 'STRING', name: 'text' }],
  outputNode: true,
  cost: { rule: PRICES.analysis },
  async run({ image }, runtime) {
    const results = [];
    for (const item of image) results.push((await runtime.ocr(item)) as { text: string });
    return { outputs: [results.map((r) => r.text).join('\n')], ui: { text: results.map((r) => r.text), ocr: results } };
  },
});
