import type { StreamKey } from '../../src/core/sampling/random-stream.ts';
import type { SamplingParams } from '../../src/core/sampling/sample-token.ts';
import type { Finish } from '../../src/core/sampling/generation-settings.ts';

export interface GenerationParams extends SamplingParams {
  maxNewTokens: number;
  stop: readonly string[];
}

export type { Finish };

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
  /**
   * The random stream key of row `index`, where rows are not samples [start, end) of one
   * stream: `passk serve` batches requests with seeds of their own into one cohort. Each row
   * still draws only from its own key, so its text does not depend on its neighbours.
   */
  rowKey?: (index: number) => bigint;
  /** After each token a row takes (streaming responses read the text so far). */
  onToken?: (index: number, ids: readonly number[]) => void;
}
