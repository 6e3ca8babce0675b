import { randomInt } from 'node:crypto';
import { sampleKey } from '../../src/core/sampling/random-stream.ts';
import type { Result } from '../../src/core/result.ts';
import type { ServedDefaults, SamplingRequest } from '../../src/core/serving/sampling-request.ts';
import { streamableText } from '../../src/core/serving/stream-text.ts';
import type { TextCodec } from '../engine/text-codec.ts';
import type { RowResult, ServeEngine } from './serve-engine.ts';

/** One model `passk serve` serves: its engine (own thread), a tokenizer here for the HTTP side, and its defaults. */
export interface ServedModel {
  name: string;
  dir: string;
  engine: ServeEngine;
  codec: TextCodec;
  defaults: ServedDefaults;
  /** config.json's max_position_embeddings: prompt plus new tokens may not exceed it. */
  contextLength: number | null;
  vocabSize: number | null;
  created: number;
}

/** A request's problem the client must fix: 400 (or the status given) with the parameter named. */
export class RequestError extends Error {
  constructor(message: string, readonly param: string | null = null, readonly status = 400, readonly code: string | null = null) {
    super(message);
  }
}

/** Streaming: the text a choice adds, as it comes. */
export type OnDelta = (choice: number, delta: string) => void;

/**
 * The n choices of one prompt, drawn as rows of one cohort (with the other requests that
 * share its prompt and settings). Choice j of a request with seed s draws from the stream
 * (s, model, j): the same request with the same seed gives the same text whatever else is
 * batched with it. Without a seed the server draws one, as OpenAI's API does.
 */
export function drawChoices(
  model: ServedModel, promptIds: number[], settings: SamplingRequest, maxTokens: number, choiceBase: number,
  options: { onDelta?: OnDelta; gone?: () => boolean },
): Promise<Result<RowResult>[]> {
  const seed = settings.seed ?? randomInt(0, 2 ** 31);
  const stream = { seed: String(seed), modelId: model.name, problemId: 'passk-serve' };
  const params = { temperature: settings.temperature, topP: settings.topP, topK: settings.topK, maxNewTokens: maxTokens, stop: settings.stop };
  return Promise.all(Array.from({ length: settings.n }, (_, j) => new Promise<Result<RowResult>>((done) => {
    const choice = choiceBase + j;
    let ids: number[] = [];
    let sent = '';
    let lastDecode = 0;
    const onDelta = options.onDelta;
    const send = (text: string) => {
      if (text.length > sent.length && text.startsWith(sent)) {
        onDelta!(choice, text.slice(sent.length));
        sent = text;
      }
    };
    model.engine.generate(promptIds, params, [{
      key: sampleKey(stream, j),
      gone: options.gone,
      // Decoding the whole text at most every 20 ms keeps long streams linear enough and the deltas exact.
      onTokens: onDelta && ((fresh) => {
        ids = ids.concat(fresh);
        const now = performance.now();
        if (now - lastDecode < 20) return;
        lastDecode = now;
        send(streamableText(model.codec.decode(ids), settings.stop));
      }),
      done: (result) => {
        if (onDelta && result.ok) send(result.value.text);
        done(result);
      },
    }]);
  })));
}

/** Prompt plus new tokens must fit the model's positions (as vLLM refuses, with the numbers). */
export function checkContext(model: ServedModel, promptTokens: number, maxTokens: number): void {
  if (model.contextLength !== null && promptTokens + maxTokens > model.contextLength) {
    throw new RequestError(`This model's maximum context length is ${model.contextLength} tokens. However, you requested ${promptTokens + maxTokens} tokens `
      + `(${promptTokens} in the prompt, ${maxTokens} for the completion). Please reduce the prompt or max_tokens.`, 'max_tokens');
  }
}
