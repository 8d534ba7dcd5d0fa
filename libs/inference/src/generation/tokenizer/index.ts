export { CLIP_MAX_LENGTH, ClipTokenizer } from './clip-tokenizer';
export {
  CLIP_END_TOKEN,
  CLIP_MERGES_FILE,
  CLIP_START_TOKEN,
  CLIP_VOCAB_FILE,
  makeClipVocabulary,
  writeClipTokenizerFiles,
  type ClipVocabulary,
} from './clip-vocabulary';
export { bytesToUnicode } from './byte-unicode';
