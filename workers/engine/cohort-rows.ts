import { findStop, longestStop } from '../../src/core/sampling/stop-strings.ts';
import type { DecoderSession, KvCache } from './decoder-session.ts';
import type { Finish, GenerationParams, Sample } from './sample-request.ts';
import type { TextCodec } from './text-codec.ts';

/**
 * What the step sampler and the resident (Loop) sampler share: the prompt prefill, the
 * finish rules and how a row becomes a Sample. One copy, so the two paths cannot drift
 * apart in anything but how tokens are drawn.
 */
export interface Row {
  index: number;
  key: bigint;
  ids: number[];
  logprobs: number[];
  done: Finish | null;
}

/** The prompt's KV cache and last logits, kept so shards of one problem prefill once. */
export interface Prefill {
  ids: readonly number[];
  cache: KvCache;
  logits: Float32Array;
}

export class PrefillCache {
  private last: Prefill | null = null;

  constructor(readonly decoder: DecoderSession, readonly chunk: number) {}

  async get(ids: readonly number[]): Promise<Prefill> {
    const cached = this.last;
    if (cached && cached.ids.length === ids.length && cached.ids.every((v, i) => v === ids[i])) return cached;
    // In chunks: a model without logits_to_keep returns [1, chunk, vocab] logits, which for
    // a 2k-token prompt and a 150k vocabulary would be 1.2 GB in one piece.
    let cache = this.decoder.emptyCache(1);
    let logits: Float32Array = new Float32Array(0);
    for (let at = 0; at < ids.length; at += this.chunk) {
      const piece = ids.slice(at, at + this.chunk);
      const out = await this.decoder.forward(piece, 1, piece.length, cache);
      cache = out.present;
      logits = out.logits;
    }
    this.last = { ids: [...ids], cache, logits };
    return this.last;
  }
}

/** Sets `row.done` after its newest token: EOS, a completed stop string, or max_new_tokens. */
export function checkFinish(row: Row, params: GenerationParams, codec: TextCodec): void {
  const token = row.ids[row.ids.length - 1];
  if (codec.eosTokenIds.has(token)) row.done = 'stop';
  else if (params.stop.length > 0) {
    // Re-decode only a tail long enough to hold any stop string (≤ 4 tokens per character).
    const window = 4 * longestStop(params.stop) + 4;
    if (findStop(codec.decode(row.ids.slice(-window)), params.stop) >= 0) row.done = 'stop';
  }
  if (row.done === null && row.ids.length >= params.maxNewTokens) row.done = 'length';
}

/** The finished row as a Sample: text cut before the first stop string, log-probs summed in order. */
export function toSample(row: Row, stops: readonly string[], codec: TextCodec): Sample {
  let text = codec.decode(row.ids);
  let finish: Finish = row.done ?? 'length';
  const at = findStop(text, stops);
  if (at >= 0) {
    text = text.slice(0, at);
    finish = 'stop';
  }
  let logprob = 0;
  for (const lp of row.logprobs) logprob += lp;
  return { index: row.index, text, tokenIds: row.ids, tokenLogprobs: row.logprobs, finish, logprob };
}
