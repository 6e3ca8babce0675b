import { sampleKey, uniformAt, type StreamKey } from '../../src/core/sampling/random-stream.ts';
import { sampleToken, type SamplingParams } from '../../src/core/sampling/sample-token.ts';
import { findStop, longestStop } from '../../src/core/sampling/stop-strings.ts';
import { selectRows, tileCache, type DecoderSession, type KvCache } from './decoder-session.ts';
import type { TextCodec } from './text-codec.ts';

export interface GenerationParams extends SamplingParams {
  maxNewTokens: number;
  stop: readonly string[];
}

export type Finish = 'stop' | 'length';

export interface Sample {
  /** Index of the sample within its (seed, model, problem) stream. */
  index: number;
  text: string;
  /** Generated token ids, EOS included when the model emitted it. */
  tokenIds: number[];
  /** Log-probability of each generated token under the raw model distribution. */
  tokenLogprobs: number[];
  finish: Finish;
  /** Σ tokenLogprobs, summed in order. */
  logprob: number;
}

/**
 * A shard of work: samples [start, end) of one problem. Calling this for [0, 64) or for
 * [0, 10) and [10, 64), with any batch size, yields the same samples.
 */
export interface SampleRequest {
  promptIds: readonly number[];
  stream: StreamKey;
  start: number;
  end: number;
  params: GenerationParams;
  /** Rows decoded together; a cohort is at most this many samples of the same prompt. */
  batch: number;
  onSample?: (sample: Sample) => void;
  /** Called after each decode step with the number of tokens it produced. */
  onTokens?: (count: number) => void;
}

interface Row {
  index: number;
  key: bigint;
  ids: number[];
  logprobs: number[];
  done: Finish | null;
}

/** The prompt's KV cache and last logits, kept so shards of one problem prefill once. */
interface Prefill {
  ids: readonly number[];
  cache: KvCache;
  logits: Float32Array;
}

/**
 * Batched sampling on one decoder. Invariant behind bitwise determinism: every row of a
 * decode batch is a sample of the same prompt at the same position (a cohort), with no
 * padding, so each row's arithmetic is the same whatever else is in the batch; finished
 * rows are sliced out of the KV cache, and the next cohort starts from the shared prompt
 * cache. Refilling a slot mid-cohort would put rows at different positions, whose
 * attention reductions over padded lengths round differently, so it is not done.
 */
export class Sampler {
  private prefill: Prefill | null = null;

  constructor(readonly decoder: DecoderSession, readonly codec: TextCodec, readonly prefillChunk = 256) {}

  async sample(req: SampleRequest): Promise<Sample[]> {
    if (req.promptIds.length === 0) throw new Error('sample: empty prompt');
    if (req.batch < 1) throw new Error('sample: batch must be ≥ 1');
    const prefill = await this.prefillPrompt(req.promptIds);
    const results: Sample[] = [];
    for (let first = req.start; first < req.end; first += req.batch) {
      const last = Math.min(req.end, first + req.batch);
      const cohort = await this.runCohort(prefill, req, first, last);
      for (const s of cohort) results.push(s);
    }
    return results;
  }

  private async prefillPrompt(ids: readonly number[]): Promise<Prefill> {
    const cached = this.prefill;
    if (cached && cached.ids.length === ids.length && cached.ids.every((v, i) => v === ids[i])) return cached;
    // In chunks: a model without logits_to_keep returns [1, chunk, vocab] logits, which for
    // a 2k-token prompt and a 150k vocabulary would be 1.2 GB in one piece.
    let cache = this.decoder.emptyCache(1);
    let logits: Float32Array = new Float32Array(0);
    for (let at = 0; at < ids.length; at += this.prefillChunk) {
      const piece = ids.slice(at, at + this.prefillChunk);
      const out = await this.decoder.forward(piece, 1, piece.length, cache);
      cache = out.present;
      logits = out.logits;
    }
    this.prefill = { ids: [...ids], cache, logits };
    return this.prefill;
  }

  private async runCohort(prefill: Prefill, req: SampleRequest, first: number, last: number): Promise<Sample[]> {
    const { params } = req;
    const vocab = prefill.logits.length;
    const rows: Row[] = [];
    for (let i = first; i < last; i++) {
      rows.push({ index: i, key: sampleKey(req.stream, i), ids: [], logprobs: [], done: null });
    }
    const finished: Sample[] = [];
    // slots[r] is the row held in batch row r of the KV cache; finished rows stay in their
    // slot (fed a dummy token, output ignored) until compacting pays for its copy.
    let slots = rows;
    let cache: KvCache | null = null;
    let logits = prefill.logits;
    let perRow = 0;
    for (let step = 0; ; step++) {
      let live = 0;
      slots.forEach((row, r) => {
        if (row.done !== null) return;
        const { token, logprob } = sampleToken(logits.subarray(r * perRow, r * perRow + vocab), params, uniformAt(row.key, step));
        row.ids.push(token);
        row.logprobs.push(logprob);
        this.checkFinish(row, params);
        live++;
        if (row.done !== null) {
          const sample = this.toSample(row, params.stop);
          finished.push(sample);
          req.onSample?.(sample);
        }
      });
      req.onTokens?.(live);
      const keep: number[] = [];
      slots.forEach((row, r) => { if (row.done === null) keep.push(r); });
      if (keep.length === 0) break;
      if (cache === null) {
        slots = keep.map((r) => slots[r]);
        cache = tileCache(prefill.cache, slots.length);
      } else if (8 * (slots.length - keep.length) >= slots.length) {
        cache = selectRows(cache, keep);
        slots = keep.map((r) => slots[r]);
      }
      const out = await this.decoder.forward(slots.map((row) => row.ids[row.ids.length - 1]), slots.length, 1, cache);
      cache = out.present;
      logits = out.logits;
      perRow = vocab;
    }
    return finished.sort((a, b) => a.index - b.index);
  }

  private checkFinish(row: Row, params: GenerationParams): void {
    const token = row.ids[row.ids.length - 1];
    if (this.codec.eosTokenIds.has(token)) row.done = 'stop';
    else if (params.stop.length > 0) {
      // Re-decode only a tail long enough to hold any stop string (≤ 4 tokens per character).
      const window = 4 * longestStop(params.stop) + 4;
      const tail = this.codec.decode(row.ids.slice(-window));
      if (findStop(tail, params.stop) >= 0) row.done = 'stop';
    }
    if (row.done === null && row.ids.length >= params.maxNewTokens) row.done = 'length';
  }

  private toSample(row: Row, stops: readonly string[]): Sample {
    let text = this.codec.decode(row.ids);
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
}
