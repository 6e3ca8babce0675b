import { logSumExp } from '../../src/core/sampling/sample-token.ts';
import type { DecoderSession } from './decoder-session.ts';

export interface Score {
  /** log p(token_i | prompt, tokens_<i) under the raw model distribution. */
  tokenLogprobs: number[];
  logprob: number;
}

/**
 * Teacher-forced log-probabilities of a completion after a prompt. The completion runs in
 * chunks over the prompt's KV cache, so the logits held at once stay [chunk, vocab] even
 * for 16k-token answers with a 150k vocabulary.
 */
export class Scorer {
  constructor(readonly decoder: DecoderSession, readonly chunk = 256) {}

  async score(promptIds: readonly number[], completionIds: readonly number[]): Promise<Score> {
    if (promptIds.length === 0) throw new Error('score: empty prompt (a completion needs at least one token before it)');
    const first = await this.decoder.forward(promptIds, 1, promptIds.length, this.decoder.emptyCache(1));
    let cache = first.present;
    let last = first.logits;
    const vocab = first.vocab;
    const tokenLogprobs: number[] = [];
    for (let at = 0; at < completionIds.length; at += this.chunk) {
      const piece = completionIds.slice(at, at + this.chunk);
      // Position j's logits predict token j + 1; the piece's first token is predicted by `last`.
      tokenLogprobs.push(last[piece[0]] - logSumExp(last));
      const out = await this.decoder.forward(piece, 1, piece.length, cache, true);
      for (let j = 1; j < piece.length; j++) {
        const row = out.logits.subarray(j - 1 === 0 ? 0 : (j - 1) * vocab, j * vocab);
        tokenLogprobs.push(row[piece[j]] - logSumExp(row));
      }
      last = out.logits.slice((piece.length - 1) * vocab, piece.length * vocab);
      cache = out.present;
    }
    let logprob = 0;
    for (const lp of tokenLogprobs) logprob += lp;
    return { tokenLogprobs, logprob };
  }
}
