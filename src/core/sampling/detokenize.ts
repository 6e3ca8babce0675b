/**
 * The text each token adds, decoded incrementally (as vLLM does): a token's text is what
 * decoding a short window ending with it adds to decoding the window without it. The window
 * starts a few tokens back, so tokenizers that read context (SentencePiece's leading "▁",
 * byte-level pieces of one UTF-8 character) give the right text: a token that ends inside a
 * character adds "" and the token completing it adds the whole character. Linear in the
 * number of tokens. Decoding `ids[context..from)` gives the text before `from`'s first token.
 */
export function tokenDeltas(decode: (ids: readonly number[]) => string, ids: readonly number[], from = 0, context = 6): string[] {
  const deltas: string[] = [];
  let prefixOffset = Math.max(0, from - context);
  let readOffset = from;
  for (let i = from; i < ids.length; i++) {
    const prefixText = decode(ids.slice(prefixOffset, readOffset));
    const newText = decode(ids.slice(prefixOffset, i + 1));
    if (newText.length > prefixText.length && !newText.endsWith('\uFFFD')) {
      deltas.push(newText.slice(prefixText.length));
      prefixOffset = readOffset;
      readOffset = i + 1;
    } else {
      deltas.push('');
    }
  }
  return deltas;
}

/** Code points, as OpenAI-compatible servers count `text_offset` (Python string indices), not UTF-16 units. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text_offset` of each token: where its text starts, in code points from `start`. */
export function textOffsets(deltas: readonly string[], start = 0): number[] {
  const offsets: number[] = [];
  let at = start;
  for (const d of deltas) {
    offsets.push(at);
    at += codePoints(d);
  }
  return offsets;
}
