import { Injectable } from '@nestjs/common';
import { AppConfig } from '@atelier/platform';
import { jobErrors } from '../job-errors';

/** The text encoder's window: 77 tokens, two of them start and end. */
const CLIP_CONTENT_TOKENS = 75;
/** The longest prompt accepted, typed or rendered from a template. */
export const MAX_PROMPT_LENGTH = 2000;

const escapeRegExp = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What a prompt must pass before it reaches a model: no word of PROMPT_BLOCKLIST, at most
 * MAX_PROMPT_LENGTH characters. The same rules for a typed prompt and for a rendered template.
 */
@Injectable()
export class PromptPolicy {
  private readonly blocked: Array<{ word: string; pattern: RegExp }>;

  constructor(config: AppConfig) {
    this.blocked = config.promptBlocklist.map((word) => ({ word, pattern: new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(word)}(?![\\p{L}\\p{N}_])`, 'iu') }));
  }

  /** 422 BLOCKED_WORDS or PROMPT_TOO_LONG; `field` names the input field in the details. */
  check(text: string, field = 'prompt'): void {
    const blocked = this.blocked.filter(({ pattern }) => pattern.test(text)).map(({ word }) => word);
    if (blocked.length) throw jobErrors('BLOCKED_WORDS', 'The prompt contains words that are not allowed', { field, words: blocked });
    if (text.length > MAX_PROMPT_LENGTH) {
      throw jobErrors('PROMPT_TOO_LONG', `The ${field} is ${text.length} characters; at most ${MAX_PROMPT_LENGTH} are accepted`, { field, maxLength: MAX_PROMPT_LENGTH });
    }
  }

  /** Advice that does not refuse the prompt: the encoder reads only its first 75 tokens. */
  warnings(text: string): string[] {
    const tokens = approximateClipTokens(text);
    return tokens > CLIP_CONTENT_TOKENS ? [`The prompt is about ${tokens} tokens; the text encoder reads the first ${CLIP_CONTENT_TOKENS}`] : [];
  }
}

/** CLIP's BPE splits words and punctuation; long words take more than one token (about 4 letters each). */
export function approximateClipTokens(text: string): number {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []).reduce((n, piece) => n + Math.max(1, Math.ceil(piece.length / 6)), 0);
}
