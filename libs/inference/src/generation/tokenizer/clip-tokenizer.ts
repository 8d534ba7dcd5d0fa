import { readFileSync } from 'node:fs';
import { applyBpe, END_OF_WORD, mergeRanks } from './bpe';
import { BYTE_TO_CHAR, CHAR_TO_BYTE } from './byte-unicode';
import { CLIP_END_TOKEN, CLIP_START_TOKEN } from './clip-vocabulary';
import { parseMergesTxt } from './merges-file';
import { splitClipText } from './pre-tokenize';

/** Context length of CLIP's (and so Stable Diffusion's) text encoder. */
export const CLIP_MAX_LENGTH = 77;

/** Distinct words seen by a long-running worker are unbounded; CLIP's own cache is not capped. */
const CACHE_LIMIT = 20_000;

/**
 * CLIP's byte-level BPE tokenizer (openai/CLIP simple_tokenizer.py; HF CLIPTokenizer without ftfy):
 * clean + lower-case, split with CLIP's pattern, UTF-8 bytes → byte characters, '</w>' on the
 * last one, BPE by merge rank, vocabulary lookup.
 *
 * A BPE symbol missing from the vocabulary (only possible when vocab and merges do not match)
 * becomes the <|endoftext|> id, which is HF CLIPTokenizer's unk_token; CLIP itself would raise.
 */
export class ClipTokenizer {
  readonly startTokenId: number;
  readonly endTokenId: number;
  /** One more than the largest id: the text encoder's embedding rows (49408 for CLIP). */
  readonly vocabSize: number;
  private readonly encoder: ReadonlyMap<string, number>;
  private readonly ranks: ReadonlyMap<string, number>;
  /** Piece (after cleaning) → its ids; FIFO-evicted at CACHE_LIMIT. */
  private readonly cache = new Map<string, readonly number[]>();
  private decoder?: ReadonlyMap<number, string>;

  constructor(vocab: Record<string, number>, merges: string[]) {
    this.encoder = checkedVocab(vocab);
    this.ranks = mergeRanks(merges);
    this.startTokenId = requireToken(this.encoder, CLIP_START_TOKEN);
    this.endTokenId = requireToken(this.encoder, CLIP_END_TOKEN);
    this.vocabSize = [...this.encoder.values()].reduce((max, id) => Math.max(max, id), 0) + 1;
  }

  /** Reads an HF-style vocab.json and merges.txt (leading "#version" line and blank lines skipped). */
  static fromFiles(vocabJsonPath: string, mergesTxtPath: string): ClipTokenizer {
    const vocab: unknown = JSON.parse(readFileSync(vocabJsonPath, 'utf8'));
    if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) throw new Error(`${vocabJsonPath}: expected a JSON object of token → id`);
    // checkedVocab (in the constructor) verifies every value; this only narrows the static type.
    return new ClipTokenizer(vocab as Record<string, number>, parseMergesTxt(readFileSync(mergesTxtPath, 'utf8')));
  }

  /** BPE token ids of the text, without start/end tokens. */
  tokenize(text: string): number[] {
    const ids: number[] = [];
    for (const piece of splitClipText(text)) ids.push(...this.pieceIds(piece));
    return ids;
  }

  /**
   * The text encoder's input: [start, ...tokens (truncated to maxLength - 2), end], padded with
   * padTokenId (default <|endoftext|>, as SD 1.x's tokenizer does) to exactly maxLength ids.
   */
  encode(text: string, maxLength: number = CLIP_MAX_LENGTH, padTokenId: number = this.endTokenId): Int32Array {
    if (!Number.isInteger(maxLength) || maxLength < 2) throw new RangeError(`maxLength must be an integer ≥ 2, got ${maxLength}`);
    const tokens = this.tokenize(text).slice(0, maxLength - 2);
    const ids = new Int32Array(maxLength).fill(padTokenId);
    ids[0] = this.startTokenId;
    ids.set(tokens, 1);
    ids[tokens.length + 1] = this.endTokenId;
    return ids;
  }

  /**
   * Ids back to text, as HF's CLIPTokenizer.decode: bytes reassembled (invalid UTF-8 → U+FFFD),
   * each '</w>' → a space, trimmed. Start/end (and end-as-padding) tokens are dropped unless asked.
   */
  decode(ids: Iterable<number>, skipSpecialTokens = true): string {
    const decoder = (this.decoder ??= new Map([...this.encoder].map(([token, id]) => [id, token])));
    const bytes: number[] = [];
    for (const id of ids) {
      if (skipSpecialTokens && (id === this.startTokenId || id === this.endTokenId)) continue;
      const token = decoder.get(id);
      if (token === undefined) throw new RangeError(`Token id ${id} is not in the vocabulary`);
      for (const char of token) {
        const byte = CHAR_TO_BYTE.get(char);
        // Special tokens are ASCII, which the byte table maps to itself; any other foreign char is kept as UTF-8.
        if (byte !== undefined) bytes.push(byte);
        else bytes.push(...Buffer.from(char, 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8').replaceAll(END_OF_WORD, ' ').trim();
  }

  private pieceIds(piece: string): readonly number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    const ids = this.computePieceIds(piece);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value ?? '');
    this.cache.set(piece, ids);
    return ids;
  }

  private computePieceIds(piece: string): number[] {
    // Special tokens typed in the text are whole tokens, not BPE'd (CLIP seeds its cache with them).
    if (piece === CLIP_START_TOKEN) return [this.startTokenId];
    if (piece === CLIP_END_TOKEN) return [this.endTokenId];
    const symbols = Array.from(Buffer.from(piece, 'utf8'), (byte) => BYTE_TO_CHAR[byte]);
    symbols[symbols.length - 1] += END_OF_WORD;
    return applyBpe(symbols, this.ranks).map((token) => this.encoder.get(token) ?? this.endTokenId);
  }
}

function checkedVocab(vocab: Record<string, unknown>): Map<string, number> {
  const entries = Object.entries(vocab);
  const bad = entries.find(([, id]) => typeof id !== 'number' || !Number.isInteger(id) || id < 0);
  if (bad) throw new Error(`Invalid vocabulary: token "${bad[0]}" has id ${String(bad[1])}, expected a non-negative integer`);
  return new Map(entries as Array<[string, number]>);
}

function requireToken(encoder: ReadonlyMap<string, number>, token: string): number {
  const id = encoder.get(token);
  if (id === undefined) throw new Error(`Invalid vocabulary: "${token}" is missing`);
  return id;
}
