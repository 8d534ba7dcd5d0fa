/** Marks the last symbol of a word, so "a" inside a word and "a" as a whole word are different tokens. */
export const END_OF_WORD = '</w>';

/** One merges.txt line "a b" as its pair; throws on anything else (a header or blank line included). */
export function parseMerge(line: string): [string, string] {
  const parts = line.trim().split(/\s+/);
  if (parts.length !== 2) throw new Error(`Invalid BPE merge "${line}": expected two symbols separated by a space`);
  return [parts[0], parts[1]];
}

/**
 * Merge priority by line number, keyed by "first second" (no symbol contains a space: the byte
 * table maps it to 'Ġ'). A repeated pair keeps its last rank, as Python's dict(zip(...)) does.
 */
export function mergeRanks(merges: readonly string[]): Map<string, number> {
  const ranks = new Map<string, number>();
  merges.forEach((line, rank) => ranks.set(parseMerge(line).join(' '), rank));
  return ranks;
}

/**
 * Byte-pair encoding of one word: repeatedly merge every occurrence (left to right) of the
 * adjacent pair with the lowest rank, until no adjacent pair has a rank. Same loop as CLIP's `bpe`.
 */
export function applyBpe(symbols: readonly string[], ranks: ReadonlyMap<string, number>): string[] {
  let word = [...symbols];
  while (word.length > 1) {
    let bestRank = Infinity;
    let first = '';
    let second = '';
    for (let i = 0; i < word.length - 1; i++) {
      const rank = ranks.get(`${word[i]} ${word[i + 1]}`);
      if (rank !== undefined && rank < bestRank) [bestRank, first, second] = [rank, word[i], word[i + 1]];
    }
    if (bestRank === Infinity) break;
    const merged: string[] = [];
    for (let i = 0; i < word.length; i++) {
      if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
        merged.push(first + second);
        i++;
      } else {
        merged.push(word[i]);
      }
    }
    word = merged;
  }
  return word;
}
