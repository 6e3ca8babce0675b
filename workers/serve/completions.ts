import { randomBytes } from 'node:crypto';
import { completionRequestSchema, type CompletionLogprobs } from '../../src/core/protocol/openai-api.ts';
import { codePoints, textOffsets, tokenDeltas } from '../../src/core/sampling/detokenize.ts';
import { resolveSamplingRequest } from '../../src/core/serving/sampling-request.ts';
import type { RowResult } from './serve-engine.ts';
import { checkContext, drawChoices, RequestError, type ServedModel } from './served-model.ts';
import { parseBody, type Exchange } from './exchange.ts';

interface Prompt {
  text: string;
  ids: number[];
}

/** POST /v1/completions: prompts as text or token ids, n choices each, echo and logprobs (legacy API, as lm-evaluation-harness uses it). */
export async function completions(exchange: Exchange, findModel: (name: string) => ServedModel): Promise<void> {
  const request = parseBody(completionRequestSchema, exchange.body);
  const model = findModel(request.model);
  const settings = resolveSamplingRequest(request, model.defaults, 'completions');
  if (!settings.ok) throw new RequestError(settings.error.message, settings.error.param);
  const s = settings.value;
  const echo = request.echo === true;
  const logprobs = request.logprobs ?? null;
  if (s.stream && logprobs !== null) throw new RequestError('logprobs with stream is not supported by passk serve; ask without stream', 'logprobs');
  const maxTokens = s.maxTokens!;
  if (maxTokens === 0 && !echo) throw new RequestError('max_tokens 0 draws nothing; it is meant with echo (prompt log-probabilities)', 'max_tokens');

  const raw = request.prompt;
  const list: (string | number[])[] = typeof raw === 'string' ? [raw] : typeof raw[0] === 'number' ? [raw as number[]] : (raw as (string | number[])[]);
  const prompts: Prompt[] = list.map((p) => (typeof p === 'string' ? { text: p, ids: model.codec.encode(p) } : { text: model.codec.decode(p), ids: p }));
  prompts.forEach((p, i) => {
    if (p.ids.length === 0) throw new RequestError(`prompt${list.length > 1 ? `[${i}]` : ''} is empty: the model needs at least one token to continue`, 'prompt');
    const outside = model.vocabSize === null ? undefined : p.ids.find((t) => t >= model.vocabSize!);
    if (outside !== undefined) throw new RequestError(`token id ${outside} is outside the model's vocabulary (${model.vocabSize} tokens)`, 'prompt');
    checkContext(model, p.ids.length, maxTokens);
  });

  const id = `cmpl-${randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const head = { id, object: 'text_completion', created, model: model.name };
  const stream = s.stream ? exchange.startStream() : null;
  if (stream && echo) prompts.forEach((p, i) => { for (let j = 0; j < s.n; j++) stream.send({ ...head, choices: [{ index: i * s.n + j, text: p.text, logprobs: null, finish_reason: null }] }); });

  const results = await Promise.all(prompts.map(async (prompt, i) => {
    const scored = echo && logprobs !== null ? await model.engine.score(prompt.ids, logprobs) : null;
    if (scored && !scored.ok) throw new Error(scored.error);
    const rows = maxTokens === 0 ? [] : await drawChoices(model, prompt.ids, s, maxTokens, i * s.n, {
      gone: exchange.gone,
      onDelta: stream ? (index, text) => stream.send({ ...head, choices: [{ index, text, logprobs: null, finish_reason: null }] }) : undefined,
    });
    const failed = rows.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(failed.error);
    return { prompt, scored: scored?.value ?? null, rows: rows.map((r) => (r as { ok: true; value: RowResult }).value) };
  }));

  const completionTokens = results.reduce((t, r) => t + r.rows.reduce((u, row) => u + row.ids.length, 0), 0);
  const promptTokens = prompts.reduce((t, p) => t + p.ids.length, 0);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const choices = results.flatMap(({ prompt, scored, rows }, i) => Array.from({ length: s.n }, (_, j) => {
    const row = rows[j] ?? null;
    return {
      index: i * s.n + j,
      text: `${echo ? prompt.text : ''}${row?.text ?? ''}`,
      logprobs: logprobs === null ? null : choiceLogprobs(model, prompt, echo ? scored : null, row, logprobs),
      finish_reason: row?.finish ?? 'length',
    };
  }));
  if (stream) {
    for (const c of choices) stream.send({ ...head, choices: [{ index: c.index, text: '', logprobs: null, finish_reason: c.finish_reason }] });
    if (s.includeUsage) stream.send({ ...head, choices: [], usage });
    stream.end();
    return;
  }
  exchange.json(200, { ...head, choices, usage, system_fingerprint: exchange.fingerprint(model) });
}

/**
 * The legacy `logprobs` object: echoed prompt tokens first (the first has none: nothing
 * predicts it), with top alternatives from the teacher-forced pass; then the sampled tokens
 * with their own log-probabilities (EOS included, as the engine sums them) and no
 * alternatives. Token texts come from incremental decoding, and text_offset counts code
 * points into the returned text.
 */
function choiceLogprobs(
  model: ServedModel, prompt: Prompt, scored: { logprobs: number[]; top: { id: number; logprob: number }[][] | null } | null, row: RowResult | null, top: number,
): CompletionLogprobs {
  const tokens: string[] = [];
  const tokenLogprobs: (number | null)[] = [];
  const topLogprobs: (Record<string, number> | null)[] = [];
  const decode = (ids: readonly number[]) => model.codec.decode(ids);
  let offsets: number[] = [];
  if (scored) {
    // Special tokens spelled out, so the echoed tokens add up to the prompt as it was sent.
    const deltas = tokenDeltas((ids) => model.codec.decodeVerbatim(ids), prompt.ids);
    tokens.push(...deltas);
    tokenLogprobs.push(null, ...scored.logprobs);
    topLogprobs.push(null, ...(scored.top ?? []).map((alts) => Object.fromEntries(alts.slice(0, top).map((a) => [model.codec.tokenString(a.id), a.logprob]))));
    offsets = textOffsets(deltas);
  }
  if (row) {
    const deltas = tokenDeltas(decode, [...prompt.ids, ...row.ids], prompt.ids.length);
    tokens.push(...deltas);
    tokenLogprobs.push(...row.logprobs);
    topLogprobs.push(...row.ids.map(() => null));
    offsets = offsets.concat(textOffsets(deltas, scored ? codePoints(prompt.text) : 0));
  }
  return { tokens, token_logprobs: tokenLogprobs, top_logprobs: top > 0 ? topLogprobs : null, text_offset: offsets };
}
