import ort from 'onnxruntime-node';
import type { DecoderSession, KvCache } from '../decoder-session.ts';
import { openSession } from '../execution-provider.ts';
import type { Result } from '../../../src/core/result.ts';
import type { SamplingParams } from '../../../src/core/sampling/sample-token.ts';
import { ensureLoopModel, LOOP_IO } from './loop-model.ts';
import type { SamplingVariant } from './sampling-graph.ts';

export interface ChunkInput {
  /** The token each row feeds first (sampled, not yet in the cache). */
  tokens: readonly number[];
  cache: KvCache;
  /** Uniforms [steps, rows], row-major: row b's draw for the chunk's step s at s·rows + b. */
  uniforms: Float64Array;
  steps: number;
  params: SamplingParams;
}

export interface ChunkOutput {
  /** Steps the Loop ran: `steps`, or fewer when a row was left undecided (SamplingVariant). */
  steps: number;
  /** [steps, rows] row-major. */
  tokens: BigInt64Array;
  logprobs: Float64Array;
  /** [steps, rows]: 0 where the host must sample that step itself, from `logits`. */
  decided: Uint8Array;
  /** float32 [rows, vocab] of the last step run (prefix variant), else empty. */
  logits: Float32Array;
  /** The cache after the chunk: it holds every token fed, i.e. all but the last sampled one. */
  cache: KvCache;
}

/** The Loop-wrapped decoder (loop-model.ts) on the same EP as the step decoder it wraps. */
export class ResidentDecoder {
  private constructor(
    readonly session: ort.InferenceSession, readonly path: string, readonly step: DecoderSession, readonly variant: SamplingVariant,
  ) {}

  /**
   * The exact variant on the CPU EP (bit-for-bit the JS rule), the prefix variant with
   * 1024 ranked candidates elsewhere (ONNX Runtime's CUDA CumSum is quadratic).
   */
  static async open(
    step: DecoderSession, options: { threads?: number; variant?: SamplingVariant } = {},
  ): Promise<Result<ResidentDecoder>> {
    const variant = options.variant ?? (step.ep === 'cpu' ? { kind: 'exact' } : { kind: 'prefix', cap: 1024 });
    const path = ensureLoopModel(step.modelPath, variant);
    if (!path.ok) return path;
    const opened = await openSession(path.value, step.ep, options.threads);
    if (!opened.ok) return opened;
    return { ok: true, value: new ResidentDecoder(opened.value.session, path.value, step, variant) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  async run(input: ChunkInput): Promise<ChunkOutput> {
    const { cache, steps } = input;
    const batch = cache.batch;
    if (input.tokens.length !== batch || input.uniforms.length !== steps * batch) throw new Error('resident run: shape mismatch');
    const feeds: Record<string, ort.Tensor> = {
      [LOOP_IO.steps]: new ort.Tensor('int64', BigInt64Array.of(BigInt(steps)), []),
      [LOOP_IO.token]: new ort.Tensor('int64', BigInt64Array.from(input.tokens, (t) => BigInt(t)), [batch]),
      [LOOP_IO.mask]: new ort.Tensor('int64', new BigInt64Array(batch * cache.length).fill(1n), [batch, cache.length]),
      [LOOP_IO.position]: new ort.Tensor('int64', new BigInt64Array(batch).fill(BigInt(cache.length)), [batch, 1]),
      [LOOP_IO.uniforms]: new ort.Tensor('float64', input.uniforms, [steps, batch]),
      [LOOP_IO.temperature]: new ort.Tensor('float64', Float64Array.of(input.params.temperature), []),
      [LOOP_IO.topK]: new ort.Tensor('int64', BigInt64Array.of(BigInt(input.params.topK)), []),
      [LOOP_IO.topP]: new ort.Tensor('float64', Float64Array.of(input.params.topP), []),
      [LOOP_IO.logits]: new ort.Tensor('float32', new Float32Array(0), [batch, 0]),
    };
    const layers = this.step.signature.numLayers;
    for (let l = 0; l < layers; l++) {
      feeds[LOOP_IO.past(l, 'key')] = cache.tensors[2 * l];
      feeds[LOOP_IO.past(l, 'value')] = cache.tensors[2 * l + 1];
    }
    if (this.step.sharedPrefix) Object.assign(feeds, this.step.prefixFeeds(cache));
    const out = await this.session.run(feeds);
    const tensors: ort.Tensor[] = [];
    for (let l = 0; l < layers; l++) tensors.push(out[LOOP_IO.present(l, 'key')], out[LOOP_IO.present(l, 'value')]);
    const ran = out[LOOP_IO.tokens].dims[0];
    return {
      steps: ran,
      tokens: out[LOOP_IO.tokens].data as BigInt64Array,
      logprobs: out[LOOP_IO.logprobs].data as Float64Array,
      decided: out[LOOP_IO.decided].data as Uint8Array,
      logits: out[LOOP_IO.logitsOut].data as Float32Array,
      cache: { batch, length: cache.length + ran, tensors, ...(cache.prefix ? { prefix: cache.prefix } : {}) },
    };
  }
}
