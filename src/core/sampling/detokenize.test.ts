import { describe, expect, it } from 'vitest';
import { codePoints, textOffsets, tokenDeltas } from './detokenize.ts';

// Two toy tokenizers standing for real kinds: SentencePiece (a word-start marker whose space
// is dropped at the start of a decoded text) and byte-level BPE (a token may hold part of a
// UTF-8 character, decoded as U+FFFD until the rest arrives).
const pieces = ['▁The', '▁cat', '▁sat', '.'];
const sentencePiece = (ids: readonly number[]) => ids.map((i) => pieces[i]).join('').replace(/▁/g, ' ').replace(/^ /, '');
const bytes = [[0x61], [0xe2, 0x82], [0xac], [0x21]]; // "a", first two bytes of "€", its last byte, "!"
const byteLevel = (ids: readonly number[]) => new TextDecoder().decode(new Uint8Array(ids.flatMap((i) => bytes[i])));

describe('incremental detokenization', () => {
  it('keeps the spaces a word-start marker stands for, but the first', () => {
    expect(tokenDeltas(sentencePiece, [0, 1, 2, 3])).toEqual(['The', ' cat', ' sat', '.']);
    // From the middle, with context: the space before "sat" is kept.
    expect(tokenDeltas(sentencePiece, [0, 1, 2, 3], 2)).toEqual([' sat', '.']);
    expect(tokenDeltas(sentencePiece, [0, 1, 2, 3]).join('')).toBe(sentencePiece([0, 1, 2, 3]));
  });

  it('gives a character split over tokens to the token that completes it', () => {
    expect(tokenDeltas(byteLevel, [0, 1, 2, 3])).toEqual(['a', '', '€', '!']);
  });

  it('counts offsets in code points, as Python does', () => {
    expect(codePoints('a😀b')).toBe(3);
    expect(textOffsets(['a', '😀', 'b'], 10)).toEqual([10, 11, 12]);
  });
});
