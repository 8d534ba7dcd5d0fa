/**
 * GPT-2's reversible byte → character table, which CLIP reuses. Printable Latin-1 bytes map to
 * themselves; the other 68 (controls, space, NBSP, soft hyphen, …) map to U+0100 onward, so every
 * BPE symbol is a printable character and none contains whitespace (space becomes 'Ġ', U+0120).
 *
 * The Map's insertion order is CLIP's: it is the order of the vocabulary's first 256 ids.
 */
export function bytesToUnicode(): Map<number, string> {
  const table = new Map<number, string>();
  for (const [from, to] of [[0x21, 0x7e], [0xa1, 0xac], [0xae, 0xff]]) {
    for (let b = from; b <= to; b++) table.set(b, String.fromCharCode(b));
  }
  let next = 0x100;
  for (let b = 0; b < 256; b++) {
    if (!table.has(b)) table.set(b, String.fromCharCode(next++));
  }
  return table;
}

/** Indexed by byte value, for the hot path (one lookup per byte of every piece). */
const TABLE = bytesToUnicode();
export const BYTE_TO_CHAR: readonly string[] = Array.from({ length: 256 }, (_, b) => TABLE.get(b) ?? '');

/** The inverse table, for decoding. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((char, b) => [char, b]));
