import { describe, expect, it } from 'vitest';
import type { AppConfig } from '@atelier/platform';
import { MAX_PROMPT_LENGTH, PromptPolicy, approximateClipTokens } from './prompt-policy';

const policy = new PromptPolicy({ promptBlocklist: ['gore', 'c++'] } as AppConfig);

describe('PromptPolicy', () => {
  it('refuses blocked words as whole words, whatever their case, and names them', () => {
    expect(() => policy.check('a GORE scene')).toThrow(expect.objectContaining({ code: 'BLOCKED_WORDS', details: { field: 'prompt', words: ['gore'] } }));
    expect(() => policy.check('gorest of the gorge')).not.toThrow();
    expect(() => policy.check('code in c++ please', 'negativePrompt')).toThrow(expect.objectContaining({ details: { field: 'negativePrompt', words: ['c++'] } }));
  });

  it('refuses a prompt over the maximum length, typed or rendered', () => {
    expect(() => policy.check('a'.repeat(MAX_PROMPT_LENGTH))).not.toThrow();
    expect(() => policy.check('a'.repeat(MAX_PROMPT_LENGTH + 1))).toThrow(expect.objectContaining({ code: 'PROMPT_TOO_LONG', kind: 'invalid' }));
  });

  it('warns when the text encoder will not read the whole prompt', () => {
    expect(policy.warnings('a cat')).toEqual([]);
    expect(policy.warnings('word '.repeat(80))[0]).toMatch(/about 80 tokens; the text encoder reads the first 75/);
  });
});

describe('approximateClipTokens', () => {
  it('counts words and punctuation, long words as several tokens', () => {
    expect(approximateClipTokens('a cat, on a mat.')).toBe(7);
    expect(approximateClipTokens('photorealistic')).toBe(3);
  });
});
