import type { EpChoice } from '../engine/execution-provider.ts';
import type { GenerationParams } from '../engine/sample-request.ts';
import type { Finish } from '../../src/core/sampling/generation-settings.ts';

/**
 * Between `passk serve`'s main thread (HTTP, tokenizing, batching) and one model's engine
 * thread (onnxruntime runs a session on the thread that calls it; on the main thread it
 * would stall every connection while it decodes). Both ends are this program: plain types.
 */
export interface EngineInit {
  dir: string;
  ep: EpChoice;
  threads?: number;
  dtype?: string;
}

export type ToEngine =
  | {
    type: 'generate';
    job: number;
    promptIds: number[];
    params: GenerationParams;
    /** One random stream key per row: the row's request seed and its choice index. */
    keys: bigint[];
    /** Rows whose tokens are sent as they come (streaming responses). */
    stream: boolean[];
    batch: number;
  }
  | { type: 'score'; job: number; ids: number[]; top: number };

export type FromEngine =
  | { type: 'ready'; ep: string; decode: string }
  | { type: 'failed'; error: string }
  | { type: 'tokens'; job: number; rows: [row: number, ids: number[]][] }
  | { type: 'row'; job: number; row: number; ids: number[]; logprobs: number[]; text: string; finish: Finish }
  | { type: 'scored'; job: number; logprobs: number[]; top: { id: number; logprob: number }[][] | null }
  | { type: 'done'; job: number; error: string | null };
