import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { END_OF_WORD, parseMerge } from './bpe';
import { bytesToUnicode } from './byte-unicode';
import { formatMergesTxt } from './merges-file';

export const CLIP_START_TOKEN = '<|startoftext|>';
export const CLIP_END_TOKEN = '<|endoftext|>';
export const CLIP_VOCAB_FILE = 'vocab.json';
export const CLIP_MERGES_FILE = 'merges.txt';

export interface ClipVocabulary {
  vocab: Record<string, number>;
  /** The merges, normalised to "a b". */
  merges: string[];
}

/**
 * Builds the vocabulary exactly as CLIP's SimpleTokenizer does from its merges: the 256 byte
 * characters (bytes_to_unicode order), the same with '</w>', one token per merge (the pair
 * concatenated), then <|startoftext|> and <|endoftext|>. With CLIP's 48894 merges that is its
 * 49408-entry vocabulary; with a handful it is a valid tiny one for test models.
 *
 * Throws on merges a trained BPE could not have produced, so test fixtures stay realistic:
 * a part that is not an earlier token, '</w>' before the end of the pair, or a token made twice
 * (which would leave a hole in the id range).
 */
export function makeClipVocabulary(merges: readonly string[]): ClipVocabulary {
  const bytes = [...bytesToUnicode().values()];
  const tokens = [...bytes, ...bytes.map((char) => char + END_OF_WORD)];
  const known = new Set(tokens);
  const normalised: string[] = [];
  merges.forEach((line, index) => {
    const [first, second] = parseMerge(line);
    const where = `merge ${index + 1} "${line}"`;
    const unknown = [first, second].find((part) => !known.has(part));
    if (unknown !== undefined) throw new Error(`${where}: "${unknown}" is not a byte character or an earlier merge`);
    if (first.endsWith(END_OF_WORD)) throw new Error(`${where}: "${END_OF_WORD}" can only end the second part`);
    const token = first + second;
    if (known.has(token)) throw new Error(`${where}: "${token}" is already in the vocabulary`);
    known.add(token);
    tokens.push(token);
    normalised.push(`${first} ${second}`);
  });
  tokens.push(CLIP_START_TOKEN, CLIP_END_TOKEN);
  // fromEntries defines own properties, so even a token spelled "__proto__" is an ordinary key.
  return { vocab: Object.fromEntries(tokens.map((token, id) => [token, id])), merges: normalised };
}

/**
 * Writes vocab.json and merges.txt (with its "#version: 0.2" header) for makeClipVocabulary(merges)
 * into dir (created if missing): the tokenizer files of a tiny test model.
 */
export function writeClipTokenizerFiles(dir: string, merges: readonly string[]): { vocabSize: number; vocabPath: string; mergesPath: string } {
  const vocabulary = makeClipVocabulary(merges);
  mkdirSync(dir, { recursive: true });
  const vocabPath = join(dir, CLIP_VOCAB_FILE);
  const mergesPath = join(dir, CLIP_MERGES_FILE);
  writeFileSync(vocabPath, JSON.stringify(vocabulary.vocab));
  writeFileSync(mergesPath, formatMergesTxt(vocabulary.merges));
  return { vocabSize: Object.keys(vocabulary.vocab).length, vocabPath, mergesPath };
}
