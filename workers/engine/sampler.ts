import { sampleKey, uniformAt, type StreamKey } from '../../src/core/sampling/random-stream.ts';
import { sampleToken } from '../../src/core/sampling/sample-token.ts';
import { selectRows, type DecoderSession, type KvCache } from './decoder-session.ts';
import type { TextCodec } from './text-codec.ts';
import type { Sample, SampleRequest } from './sample-request.ts';
import { checkFinish, PrefillCache, toSample, type Prefill, type Row } from './cohort-rows.ts';

/**
 * Batched sampling on one decoder. Invariant behind bitwise determinism: every row of a
 * decode batch is a sample of the same prompt at the same position (a cohort), with no
 * padding, so each row's arithmetic is the same whatever else is in the batch; finished
 * rows are sliced out of the KV cache, and the next cohort starts from the shared prompt
 * cache. Refilling a slot mid-cohort would put rows at different positions, whose
 * attention reductions over padded lengths round differently, so it is not done.
 */
export class Sampler {
  private readonly prefills: PrefillCache;

  constructor(readonly decoder: DecoderSession, readonly codec: TextCodec, readonly prefillChunk = 256) {
    this.prefills = new PrefillCache(decoder, prefillChunk);
  }

  async sample(req: SampleRequest): Promise<Sample[]> {
    if (req.promptIds.length === 0) throw new Error('sample: empty prompt');
    if (req.batch < 1) throw new Error('sample: batch must be ≥ 1');
    const prefill = await this.prefills.get(req.promptIds);
    const results: Sample[] = [];
    for (let first = req.start; first < req.end; first += req.batch) {
      const last = Math.min(req.end, first + req.batch);
      const cohort = await this.runCohort(prefill, req, first, last);
      for (const s of cohort) results.push(s);
    }
    return results;
  }

  private async runCohort(prefill: Prefill, req: SampleRequest, first: number, last: number): Promise<Sample[]> {
    const { params } = req;
    const vocab = prefill.logits.length;
    const rows: Row[] = [];
    for (let i = first; i < last; i++) {
      rows.push({ index: i, key: req.rowKey?.(i) ?? sampleKey(req.stream, i), ids: [], logprobs: [], done: null });
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
        req.onToken?.(row.index, row.ids);
        checkFinish(row, params, this.codec);
        live++;
        if (row.done !== null) {
          const sample = toSample(row, params.stop, this.codec);
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
        cache = this.decoder.cohortCache(prefill.cache, slots.length);
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
}
