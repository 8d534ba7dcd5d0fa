/**
 * CLIP runs its regexes with Python's `regex` module, whose `\s` is Unicode White_Space. JS `\s`
 * differs slightly (adds \ufeff, lacks \x85), so the class is spelled out.
 */
const WS = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITESPACE_RUN = new RegExp(`[${WS}]+`, 'gu');
/** Python's str.strip() also removes \x1c-\x1f (str.isspace), which `\s` leaves alone. */
const STRIPPED = new RegExp(`[${WS}\\x1c-\\x1f]`, 'u');

/** CLIP's split pattern: special tokens, English contractions, letter runs, single digits, other-symbol runs. */
const CLIP_PATTERN = new RegExp(
  `<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^${WS}\\p{L}\\p{N}]+`,
  'giu',
);

/**
 * CLIP's `whitespace_clean(basic_clean(text))`: whitespace runs collapsed to one space, trimmed.
 * Not done: ftfy's mojibake repair (HF's CLIPTokenizer also skips it when ftfy is missing) and
 * `html.unescape` (so "&amp;" stays the pieces '&', 'amp', ';' rather than becoming '&').
 */
export function cleanText(text: string): string {
  // A scan rather than /^\s+|\s+$/, which backtracks quadratically on long inner whitespace runs.
  let start = 0;
  let end = text.length;
  while (start < end && STRIPPED.test(text[start])) start++;
  while (end > start && STRIPPED.test(text[end - 1])) end--;
  return text.slice(start, end).replace(WHITESPACE_RUN, ' ');
}

/** Cleaned, lower-cased text split into the pieces that are each byte-encoded and BPE'd on their own. */
export function splitClipText(text: string): string[] {
  return cleanText(text).toLowerCase().match(CLIP_PATTERN) ?? [];
}
