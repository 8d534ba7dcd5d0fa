/** First line of a merges.txt as written by HF tokenizers (and expected by CLIPTokenizer). */
export const MERGES_HEADER = '#version: 0.2';

export function formatMergesTxt(merges: readonly string[]): string {
  return `${[MERGES_HEADER, ...merges].join('\n')}\n`;
}

/**
 * merges.txt → merge lines. Only a leading "#version" line is a header: later lines starting with
 * '#' are real merges (e.g. "# #"). Blank lines (the trailing newline, CRLF leftovers) are skipped.
 */
export function parseMergesTxt(text: string): string[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  if (lines[0]?.startsWith('#version')) lines.shift();
  return lines.filter((line) => line.trim() !== '');
}
