import { sampleKey, uniformAt } from '../../../src/core/sampling/random-stream.ts';
import { sampleToken } from '../../../src/core/sampling/sample-token.ts';
import { selectRows, type DecoderSession, type KvCache } from '../decoder-session.ts';
import { checkFinish, PrefillCache, toSample, type Prefill, type Row } from '../cohort-rows.ts';
import type { Sample, SampleRequest } from '../sample-request.ts';
import type { TextCodec } from '../text-codec.ts';
import type { ResidentDecoder } from './resident-decoder.ts';

export interface ResidentOptions {
  /** Decode steps per `session.run`; the state stays on the device in between. */
  chunk: number;
  /** Must equal the step sampler's prefill chunk for bitwise-equal prompt caches. */
  prefillChunk: number;
}

/**
 * The step sampler's contract (sampler.ts: same requests, same samples) with the decode
 * steps run in chunks inside one ONNX Loop. The prompt is prefilled once by the step
 * decoder and the first token sampled in JS from its logits; every later token comes from
 * the graph, fed uniformAt(key, step) exactly as the step sampler draws it. Rows that
 * finish inside a chunk keep decoding until its end (their extra tokens are dropped);
 * between chunks finished rows are sliced out of the cache. A step the graph leaves
 * undecided (prefix variant) ends the chunk early and is sampled here from its logits.
 */
export class ResidentSampler {
  private readonly prefills: PrefillCache;
  readonly options: ResidentOptions;
  /** Loop runs, and steps the graph left to the host (prefix variant), since construction. */
  readonly stats = { runs: 0, hostSteps: 0 };

  constructor(
    readonly decoder: DecoderSession, readonly resident: ResidentDecoder, readonly codec: TextCodec,
    options: Partial<ResidentOptions> = {},
  ) {
    // Rows that finish inside a chunk idle until its end. On the CPU, 16 steps measured
    // fastest on the bundled trio's ~40-token answers (8: 13.1k, 16: 20.2k, 32: 14.0k,
    // 64: 11.2k tok/s, one thread); on a GPU a chunk also saves a host round trip, so 64.
    this.options = { chunk: options.chunk ?? (decoder.ep === 'cpu' ? 16 : 64), prefillChunk: options.prefillChunk ?? 256 };
    if (!(this.options.chunk >= 1)) throw new Error('resident: chunk must be ≥ 1');
    this.prefills = new PrefillCache(decoder, this.options.prefillChunk);
  }

  async sample(req: SampleRequest): Promise<Sample[]> {
    if (req.promptIds.length === 0) throw new Error('sample: empty prompt');
    if (req.batch < 1) throw new Error('sample: batch must be ≥ 1');
    const prefill = await this.prefills.get(req.promptIds);
    const results: Sample[] = [];
    for (let first = req.start; first < req.end; first += req.batch) {
      const last = Math.min(req.end, first + req.batch);
      for (const s of await this.runCohort(prefill, req, first, last)) results.push(s);
    }
    return results;
  }

  private async runCohort(prefill: Prefill, req: SampleRequest, first: number, last: number): Promise<Sample[]> {
    const { params } = req;
    const finished: Sample[] = [];
    const finish = (row: Row): void => {
      const sample = toSample(row, params.stop, this.codec);
      finished.push(sample);
      req.onSample?.(sample);
    };
    let slots: Row[] = [];
    for (let i = first; i < last; i++) {
      const row: Row = { index: i, key: req.rowKey?.(i) ?? sampleKey(req.stream, i), ids: [], logprobs: [], done: null };
      const { token, logprob } = sampleToken(prefill.logits, params, uniformAt(row.key, 0));
      this.push(row, token, logprob, req);
      if (row.done !== null) finish(row);
      else slots.push(row);
    }
    req.onTokens?.(last - first);
    if (slots.length === 0) return finished.sort((a, b) => a.index - b.index);
    let cache = this.decoder.cohortCache(prefill.cache, slots.length);
    for (let step = 1; slots.length > 0;) {
      const remaining = Math.max(...slots.map((r) => params.maxNewTokens - r.ids.length));
      const steps = Math.min(this.options.chunk, remaining);
      const batch = slots.length;
      const uniforms = new Float64Array(steps * batch);
      slots.forEach((row, b) => { for (let s = 0; s < steps; s++) uniforms[s * batch + b] = uniformAt(row.key, step + s); });
      const out = await this.resident.run({
        tokens: slots.map((r) => r.ids[r.ids.length - 1]), cache, uniforms, steps, params,
      });
      let produced = 0;
      this.stats.runs++;
      const vocab = out.logits.length / batch;
      slots.forEach((row, b) => {
        for (let s = 0; s < out.steps && row.done === null; s++) {
          const at = s * batch + b;
          if (out.decided[at]) this.push(row, Number(out.tokens[at]), out.logprobs[at], req);
          else {
            // Only the Loop's last step can be undecided: it stops right after one.
            this.stats.hostSteps++;
            const { token, logprob } = sampleToken(out.logits.subarray(b * vocab, (b + 1) * vocab), params, uniformAt(row.key, step + s));
            this.push(row, token, logprob, req);
          }
          produced++;
        }
        if (row.done !== null) finish(row);
      });
      req.onTokens?.(produced);
      step += out.steps;
      const keep: number[] = [];
      slots.forEach((row, b) => { if (row.done === null) keep.push(b); });
      cache = keep.length === batch ? out.cache : selectRows(out.cache, keep);
      slots = keep.map((b) => slots[b]);
    }
    return finished.sort((a, b) => a.index - b.index);
  }

  /** Appends a token and applies the step sampler's stop rules (EOS, stop strings, length). */
  private push(row: Row, token: number, logprob: number, req: SampleRequest): void {
    row.ids.push(token);
    row.logprobs.push(logprob);
    req.onToken?.(row.index, row.ids);
    checkFinish(row, req.params, this.codec);
  }
}
