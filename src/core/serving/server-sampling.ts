import type { ResolvedSettings } from '../protocol/worker-protocol.ts';
import type { Result } from '../result.ts';
import { sampleKey, type StreamKey } from '../sampling/random-stream.ts';
import type { Finish } from '../sampling/generation-settings.ts';

/**
 * The pure half of the `openai` worker backend: how a lease becomes requests, and responses
 * become results. The worker's half (workers/openai) does the I/O with the official client.
 */

/**
 * The seed sent for sample i: 31 bits of its own stream key, so it is the same for any
 * shard split, worker or retry, and every server takes it (some read seeds as int32).
 */
export function requestSeed(stream: StreamKey, index: number): number {
  return Number(sampleKey(stream, index) >> 33n);
}

/** Samples [start, end) in requests of at most `perRequest` consecutive samples (`n` of each). */
export function requestGroups(start: number, end: number, perRequest: number): { first: number; count: number }[] {
  const groups: { first: number; count: number }[] = [];
  for (let first = start; first < end; first += perRequest) groups.push({ first, count: Math.min(perRequest, end - first) });
  return groups;
}

/** What a request asks for besides the prompt and seed: also what the run records as the source's settings. */
export function samplingParameters(settings: ResolvedSettings): Record<string, unknown> {
  return {
    temperature: settings.temperature,
    top_p: settings.topP,
    max_tokens: settings.maxNewTokens,
    // vLLM's and SGLang's extension; OpenAI's API has no top-k.
    ...(settings.topK > 0 ? { top_k: settings.topK } : {}),
    ...(settings.stop.length > 0 ? { stop: settings.stop } : {}),
  };
}

/** Retried: timeouts, conflicts, rate limits and server errors, and connections that failed (no status). */
export function isRetryable(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Wait before retry `attempt` (0-based): the server's Retry-After when it sends one (seconds
 * or an HTTP date, at most a minute), else exponential from 0.5 s to 30 s with ±25% jitter
 * so a worker's many requests do not come back at once.
 */
export function backoffMs(attempt: number, retryAfter: string | null, random: () => number, now = Date.now()): number {
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, 60_000);
  }
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(base * (0.75 + 0.5 * random()));
}

export interface SampleResult {
  index: number;
  text: string;
  tokens: number;
  finish: Finish;
  logprob: number;
}

/** Completions choices as servers send them (the fields read here only). */
export interface CompletionChoiceLike {
  index: number;
  text: string;
  finish_reason: string | null;
  logprobs?: { token_logprobs?: (number | null)[] | null } | null;
}

/** Chat choices as servers send them (the fields read here only). */
export interface ChatChoiceLike {
  index: number;
  message: { content: string | null };
  finish_reason: string | null;
  logprobs?: { content?: { logprob: number }[] | null } | null;
}

/**
 * The samples of one request: choice j is sample first + j. Each needs its tokens'
 * log-probabilities (a run keeps every sample's log-probability); a server that sends none
 * is refused with that reason. `length` means max_tokens was reached; anything else ended
 * the text (EOS or a stop string, which servers cut off as the engine does).
 */
export function samplesFromChoices(choices: readonly (CompletionChoiceLike | ChatChoiceLike)[], first: number, count: number): Result<SampleResult[]> {
  if (choices.length !== count) return { ok: false, error: `asked for n = ${count} choices, got ${choices.length}` };
  const out: SampleResult[] = [];
  for (const choice of [...choices].sort((a, b) => a.index - b.index)) {
    const chat = 'message' in choice;
    const lps: (number | null)[] | null | undefined = chat ? choice.logprobs?.content?.map((t) => t.logprob) : choice.logprobs?.token_logprobs;
    if (!lps) return { ok: false, error: `choice ${choice.index} came without log-probabilities (the request asked for logprobs); this server cannot be used to sample` };
    let logprob = 0;
    for (const lp of lps) {
      if (typeof lp !== 'number') return { ok: false, error: `choice ${choice.index}: a sampled token has no log-probability` };
      logprob += lp;
    }
    out.push({
      index: first + choice.index,
      text: (chat ? choice.message.content : choice.text) ?? '',
      tokens: lps.length,
      finish: choice.finish_reason === 'length' ? 'length' : 'stop',
      logprob,
    });
  }
  return { ok: true, value: out };
}

/**
 * An answer's log-probability from the echo of prompt + answer: the tokens whose text
 * starts within the answer's last `answerLength` code points. Counted from the end, since
 * servers differ in whether an echoed special token (<|im_start|>…) has text, which shifts
 * every offset before the answer; the last `generated` entries (a token drawn where the
 * server would not echo without one) are left out. A token that spans the boundary starts
 * in the prompt and is the prompt's, so a tokenizer merging across the boundary leaves it
 * out: the onnx engine, which encodes the two apart, would count it.
 */
export function answerScore(
  logprobs: { tokens?: string[] | null; token_logprobs?: (number | null)[] | null; text_offset?: number[] | null } | null | undefined,
  answerLength: number, generated = 0,
): Result<{ tokens: number; logprob: number }> {
  const lps = logprobs?.token_logprobs;
  const offsets = logprobs?.text_offset;
  const texts = logprobs?.tokens;
  if (!lps || !offsets || !texts || lps.length !== offsets.length || lps.length !== texts.length) {
    return { ok: false, error: 'the echoed prompt came without its tokens, log-probabilities and offsets' };
  }
  const echoed = lps.length - generated;
  if (echoed < 1) return { ok: false, error: 'the echo holds no prompt tokens' };
  const end = offsets[echoed - 1] + codePointsOf(texts[echoed - 1]);
  const from = end - answerLength;
  let tokens = 0;
  let logprob = 0;
  for (let i = 0; i < echoed; i++) {
    if (offsets[i] < from) continue;
    const lp = lps[i];
    if (typeof lp !== 'number') return { ok: false, error: `token ${i} of the echoed prompt has no log-probability` };
    tokens++;
    logprob += lp;
  }
  return { ok: true, value: { tokens, logprob } };
}

function codePointsOf(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
