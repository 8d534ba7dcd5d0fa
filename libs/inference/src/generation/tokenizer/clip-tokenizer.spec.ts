import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBpe, mergeRanks } from './bpe';
import { bytesToUnicode } from './byte-unicode';
import { CLIP_MAX_LENGTH, ClipTokenizer } from './clip-tokenizer';
import { makeClipVocabulary, writeClipTokenizerFiles } from './clip-vocabulary';
import { cleanText, splitClipText } from './pre-tokenize';

/** A tokenizer over makeClipVocabulary(merges), and a helper showing its tokens as strings. */
function tokenizerWith(merges: string[]) {
  const { vocab } = makeClipVocabulary(merges);
  const tokenizer = new ClipTokenizer(vocab, merges);
  const names = new Map(Object.entries(vocab).map(([token, id]) => [id, token]));
  const tokens = (text: string) => tokenizer.tokenize(text).map((id) => names.get(id));
  return { tokenizer, vocab, tokens };
}

describe('bytesToUnicode', () => {
  const table = bytesToUnicode();

  it('maps all 256 bytes to distinct characters, printable Latin-1 to itself', () => {
    expect(table.size).toBe(256);
    expect(new Set(table.values()).size).toBe(256);
    expect(table.get(0x61)).toBe('a');
    expect(table.get(0x21)).toBe('!');
    expect(table.get(0xe9)).toBe('é');
  });

  it('moves space, controls and the gaps to U+0100 onward (GPT-2 table)', () => {
    expect(table.get(32)).toBe('Ġ'); // U+0120
    expect(table.get(0)).toBe('\u0100');
    expect(table.get(10)).toBe('Ċ'); // newline
    expect(table.get(0xad)).toBe('Ń'); // soft hyphen, the last gap byte
    expect([...table.keys()].slice(0, 3)).toEqual([0x21, 0x22, 0x23]); // CLIP's vocabulary order
  });
});

describe('pre-tokenization', () => {
  it('collapses Unicode whitespace runs and trims like Python (\\x1c-\\x1f only at the ends)', () => {
    expect(cleanText('  a \t\n b\u3000\u00a0c\u0085d \x1c ')).toBe('a b c d');
    expect(cleanText('\n\n')).toBe('');
    expect(cleanText('a\ufeffb')).toBe('a\ufeffb'); // JS \s would take it, Python's does not
    expect(splitClipText('x\x1cw')).toEqual(['x', '\x1c', 'w']);
  });

  it('lower-cases', () => {
    expect(splitClipText('A PHOTO Of')).toEqual(['a', 'photo', 'of']);
  });

  it('splits contractions, single digits and punctuation runs', () => {
    expect(splitClipText("Don't STOP   believing!!! 2024, ok?")).toEqual(['don', "'t", 'stop', 'believing', '!!!', '2', '0', '2', '4', ',', 'ok', '?']);
    expect(splitClipText("we're they've i'm you'll he'd it's")).toEqual(['we', "'re", 'they', "'ve", 'i', "'m", 'you', "'ll", 'he', "'d", 'it', "'s"]);
    expect(splitClipText("a...b--c rock'n'roll")).toEqual(['a', '...', 'b', '--', 'c', 'rock', "'", 'n', "'", 'roll']);
  });

  it('keeps letters of any script together and special tokens whole', () => {
    expect(splitClipText('Café naïve 東京')).toEqual(['café', 'naïve', '東京']);
    expect(splitClipText('<|startoftext|>hi<|ENDOFTEXT|>')).toEqual(['<|startoftext|>', 'hi', '<|endoftext|>']);
  });
});

describe('applyBpe', () => {
  it('merges the lowest-ranked pair first, every occurrence left to right', () => {
    expect(applyBpe(['l', 'l', 'l', 'l</w>'], mergeRanks(['l l']))).toEqual(['ll', 'l', 'l</w>']);
    expect(applyBpe(['a', 'b', 'a', 'b</w>'], mergeRanks(['b a', 'a b']))).toEqual(['a', 'ba', 'b</w>']);
    expect(applyBpe(['a', 'b', 'a', 'b</w>'], mergeRanks(['a b', 'a b</w>', 'ab ab</w>']))).toEqual(['abab</w>']);
  });
});

describe('ClipTokenizer', () => {
  it('uses CLIP\'s id layout: single characters get the real CLIP ids, specials come last', () => {
    const { tokenizer } = tokenizerWith([]);
    expect(tokenizer.tokenize('a , . !')).toEqual([320, 267, 269, 256]); // real CLIP ids
    expect([tokenizer.startTokenId, tokenizer.endTokenId, tokenizer.vocabSize]).toEqual([512, 513, 514]);
  });

  it('applies merges by rank, the result depending on their order', () => {
    const { tokens } = tokenizerWith(['h e', 'l l', 'l o</w>', 'he ll', 'hell o</w>']);
    expect(tokens('hello')).toEqual(['hello</w>']);
    expect(tokens('Hello HELL')).toEqual(['hello</w>', 'he', 'l', 'l</w>']);
    expect(tokenizerWith(['l o</w>', 'l l']).tokens('hello')).toEqual(['h', 'e', 'l', 'lo</w>']);
    expect(tokenizerWith(['l l', 'l o</w>']).tokens('hello')).toEqual(['h', 'e', 'll', 'o</w>']);
  });

  it('puts </w> on the last symbol of each piece only', () => {
    const { tokens } = tokenizerWith([]);
    expect(tokens('ab c 12')).toEqual(['a', 'b</w>', 'c</w>', '1</w>', '2</w>']);
    expect(tokens("it's")).toEqual(['i', 't</w>', "'", 's</w>']);
  });

  it('gives the same ids from the cache as the first time', () => {
    const { tokenizer } = tokenizerWith(['c a', 'ca t</w>']);
    const first = tokenizer.tokenize('cat dog cat');
    expect(tokenizer.tokenize('cat dog cat')).toEqual(first);
    expect(first[0]).toBe(first[first.length - 1]);
  });

  it('encodes UTF-8 bytes of non-ASCII text, and decodes them back', () => {
    const { tokenizer, tokens } = tokenizerWith(['Ã ©</w>']);
    expect(tokens('é')).toEqual(['Ã©</w>']);
    expect(tokens('🐱')).toEqual(['ð', 'Ł', 'Ĳ', '±</w>']); // F0 9F 90 B1
    expect(tokenizer.decode(tokenizer.encode('Café  🐱 a.'))).toBe('café 🐱 a .');
    expect(tokenizer.decode(tokenizer.encode('a', 4), false)).toBe('<|startoftext|>a <|endoftext|><|endoftext|>');
  });

  it('maps special tokens written in the text to their ids', () => {
    const { tokenizer } = tokenizerWith([]);
    const end = tokenizer.endTokenId;
    expect(tokenizer.tokenize('a <|endoftext|> b')).toEqual([320, end, 321]);
    expect(tokenizer.tokenize('a<|EndOfText|>b<|startoftext|>')).toEqual([320, end, 321, tokenizer.startTokenId]);
  });

  it('maps a symbol missing from the vocabulary to <|endoftext|>', () => {
    const { vocab } = makeClipVocabulary([]);
    const tokenizer = new ClipTokenizer(vocab, ['h i</w>']); // 'hi</w>' has no id
    expect(tokenizer.tokenize('hi a')).toEqual([tokenizer.endTokenId, 320]);
  });

  describe('encode', () => {
    const { tokenizer } = tokenizerWith([]);
    const [start, end] = [tokenizer.startTokenId, tokenizer.endTokenId];

    it('wraps the tokens in start/end and pads with end to 77', () => {
      const ids = tokenizer.encode('A a');
      expect(ids).toBeInstanceOf(Int32Array);
      expect(ids.length).toBe(CLIP_MAX_LENGTH);
      expect([...ids.slice(0, 4)]).toEqual([start, 320, 320, end]);
      expect(ids.slice(4).every((id) => id === end)).toBe(true);
      expect([...tokenizer.encode('')]).toEqual([start, ...Array<number>(76).fill(end)]);
    });

    it('pads with a given id', () => {
      expect([...tokenizer.encode('a', 6, 0)]).toEqual([start, 320, end, 0, 0, 0]);
    });

    it('truncates to maxLength - 2 tokens, keeping the end token', () => {
      const ids = tokenizer.encode('a '.repeat(100));
      expect(ids.length).toBe(77);
      expect(ids[0]).toBe(start);
      expect(ids.slice(1, 76).every((id) => id === 320)).toBe(true);
      expect(ids[76]).toBe(end);
      expect([...tokenizer.encode('a a a a', 4)]).toEqual([start, 320, 320, end]);
      expect(() => tokenizer.encode('a', 1)).toThrow(RangeError);
    });
  });

  it('rejects a vocabulary without specials or with bad ids', () => {
    expect(() => new ClipTokenizer({ a: 0 }, [])).toThrow(/<\|startoftext\|>/);
    expect(() => new ClipTokenizer({ '<|startoftext|>': 0, '<|endoftext|>': 1.5 }, [])).toThrow(/non-negative integer/);
    expect(() => new ClipTokenizer(makeClipVocabulary([]).vocab, ['a b c'])).toThrow(/Invalid BPE merge/);
  });
});

describe('makeClipVocabulary', () => {
  it('lays out bytes, bytes</w>, merges, then the two specials', () => {
    const { vocab, merges } = makeClipVocabulary(['h  e', 'he l', 'hel l</w>']);
    expect(merges).toEqual(['h e', 'he l', 'hel l</w>']);
    expect(Object.keys(vocab)).toHaveLength(512 + 3 + 2);
    expect(vocab).toMatchObject({ '!': 0, a: 64, Ġ: 220, 'a</w>': 320, 'Ġ</w>': 476, he: 512, hel: 513, 'hell</w>': 514, '<|startoftext|>': 515, '<|endoftext|>': 516 });
  });

  it('gives the specials CLIP\'s ids 49406/49407 with CLIP\'s 48894 merges', () => {
    const chars = [...bytesToUnicode().values()];
    const merges = chars.flatMap((a) => chars.map((b) => `${a} ${b}`)).slice(0, 48894);
    const { vocab } = makeClipVocabulary(merges);
    expect(Object.keys(vocab)).toHaveLength(49408);
    expect([vocab['<|startoftext|>'], vocab['<|endoftext|>']]).toEqual([49406, 49407]);
    const tokenizer = new ClipTokenizer(vocab, merges);
    expect(tokenizer.vocabSize).toBe(49408);
    expect([...tokenizer.encode('a', 4)]).toEqual([49406, 320, 49407, 49407]);
  });

  it('rejects merges a trained BPE could not produce', () => {
    expect(() => makeClipVocabulary(['he ll'])).toThrow(/"he" is not a byte character or an earlier merge/);
    expect(() => makeClipVocabulary(['a</w> b'])).toThrow(/can only end the second part/);
    expect(() => makeClipVocabulary(['a b', 'b c', 'ab c', 'a bc'])).toThrow(/"abc" is already in the vocabulary/);
    expect(() => makeClipVocabulary(['abc'])).toThrow(/Invalid BPE merge/);
  });
});

describe('tokenizer files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-clip-tokenizer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fromFiles reads what writeClipTokenizerFiles wrote', () => {
    const merges = ['h e', 'l l', 'l o</w>', 'he ll', 'hell o</w>', '# #</w>'];
    const modelDir = join(dir, 'tiny', 'tokenizer');
    const written = writeClipTokenizerFiles(modelDir, merges);
    expect(written.vocabSize).toBe(512 + merges.length + 2);
    expect(readFileSync(written.mergesPath, 'utf8')).toBe(`#version: 0.2\n${merges.join('\n')}\n`);

    const tokenizer = ClipTokenizer.fromFiles(written.vocabPath, written.mergesPath);
    const inMemory = tokenizerWith(merges).tokenizer;
    expect(tokenizer.vocabSize).toBe(written.vocabSize);
    expect(tokenizer.tokenize('Hello ## hell')).toEqual(inMemory.tokenize('Hello ## hell'));
    expect(tokenizer.tokenize('hello ##')).toEqual([516, 517]); // '#' lines after the header are merges
    expect([...tokenizer.encode('hello', 4)]).toEqual([518, 516, 519, 519]);
  });

  it('skips only a leading #version line, blank lines and CRLFs', () => {
    const { vocab } = makeClipVocabulary(['h e', 'he y</w>']);
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify(vocab));
    writeFileSync(join(dir, 'merges.txt'), '#version: 0.2\r\nh e\r\n\r\nhe y</w>\r\n\r\n');
    expect(ClipTokenizer.fromFiles(join(dir, 'vocab.json'), join(dir, 'merges.txt')).tokenize('hey')).toEqual([vocab['hey</w>']]);
    writeFileSync(join(dir, 'bad.json'), '[1, 2]');
    expect(() => ClipTokenizer.fromFiles(join(dir, 'bad.json'), join(dir, 'merges.txt'))).toThrow(/JSON object/);
  });
});
