import { defineNode, link } from '../node-spec';

/** The prompt, encoded by the sampler's own text encoder when it runs (the prompt policy checks it at submit). */
export default defineNode({
  classType: 'CLIPTextEncode',
  displayName: 'CLIP Text Encode (Prompt)',
  category: 'conditioning',
  description: 'A prompt for a sampler',
  inputs: { required: { text: { kind: 'string', multiline: true, default: '' }, clip: link('CLIP') } },
  outputs: [{ type: 'CONDITIONING', name: 'CONDITIONING' }],
  async run({ text }) {
    return { outputs: [{ text }] };
  },
});
