import { logSumExp } from '../../src/core/sampling/sample-token.ts';
import type { DecoderSession } from './decoder-session.ts';

export interface Score {
  /** log p(token_i | prompt, tokens_<i) under the raw model distribution. */
  tokenLogprobs: number[];
  logprob: number;
  /** With `top`: the most likely tokens at each position, most likely first. */
  topLogprobs?: { id: number; logprob: number }[][];
}

/**
 * Teacher-forced log-probabilities of a completion after a prompt. The completion runs in
 * chunks over the prompt's KV cache, so the logits held at once stay [chunk, vocab] even
 * for 16k-token answers with a 150k vocabulary.
 */
export class Scorer {
  constructor(readonly decoder: DecoderSession, readonly chunk = 256) {}

  async score(promptIds: readonly number[], completionIds: readonly number[], options: { top?: number } = {}): Promise<Score> {
    const top = options.top ?? 0;
    const topLogprobs: { id: number; logprob: number }[][] = [];
    const take = (row: Float32Array, id: number): number => {
      const norm = logSumExp(row);
      if (top > 0) topLogprobs.push(topTokens(row, top).map((t) => ({ id: t, logprob: row[t] - norm })));
      return row[id] - norm;
    };
    if (promptIds.length === 0) throw new Error('score: empty prompt (a completion needs at least one token before it)');
    const first = await this.decoder.forward(promptIds, 1, promptIds.length, this.decoder.emptyCache(1));
    let cache = first.present;
    let last = first.logits;
    const vocab = first.vocab;
    const tokenLogprobs: number[] = [];
    for (let at = 0; at < completionIds.length; at += this.chunk) {
      const piece = completionIds.slice(at, at + this.chunk);
      // Position j's logits predict token j + 1; the piece's first token is predicted by `last`.
      tokenLogprobs.push(take(last, piece[0]));
      const out = await this.decoder.forward(piece, 1, piece.length, cache, true);
      for (let j = 1; j < piece.length; j++) {
        const row = out.logits.subarray(j - 1 === 0 ? 0 : (j - 1) * vocab, j * vocab);
        tokenLogprobs.push(take(row, piece[j]));
      }
      last = out.logits.slice((piece.length - 1) * vocab, piece.length * vocab);
      cache = out.present;
    }
    let logprob = 0;
    for (const lp of tokenLogprobs) logprob += lp;
    return { tokenLogprobs, logprob, ...(top > 0 ? { topLogprobs } : {}) };
  }
}

/** Indices of the k largest entries, largest first: one pass, k small (an API asks for at most 20). */
function topTokens(row: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (best.length === k && row[i] <= row[best[k - 1]]) continue;
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && row[best[at - 1]] < row[i]) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}
