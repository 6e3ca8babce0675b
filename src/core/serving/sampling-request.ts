import type { ChatRequest, CompletionRequest } from '../protocol/openai-api.ts';
import type { Result } from '../result.ts';

/** What a model folder says when a request does not (generation_config.json). */
export interface ServedDefaults {
  temperature?: number;
  topP?: number;
  topK?: number;
  doSample?: boolean;
}

export interface SamplingRequest {
  n: number;
  temperature: number;
  topP: number;
  topK: number;
  /** null: up to the context limit (chat's default), known once the prompt is tokenized. */
  maxTokens: number | null;
  stop: string[];
  /** null: the server draws one (the samples are then not reproducible). */
  seed: number | null;
  stream: boolean;
  includeUsage: boolean;
}

export interface RequestProblem {
  message: string;
  param: string;
}

/** OpenAI's defaults for what neither the request nor generation_config.json sets. */
const API_DEFAULTS = { temperature: 1, topP: 1, completionMaxTokens: 16 };

/**
 * A completions or chat request's sampling settings: the request's value, else the model's
 * generation_config.json (as vLLM does), else OpenAI's default. Settings the engine cannot
 * honour are refused by name, never ignored, since they would change what is sampled.
 */
export function resolveSamplingRequest(
  request: CompletionRequest | ChatRequest, defaults: ServedDefaults, endpoint: 'completions' | 'chat',
): Result<SamplingRequest, RequestProblem> {
  const refuse = (param: string, message: string): Result<SamplingRequest, RequestProblem> => ({ ok: false, error: { param, message } });
  for (const param of ['frequency_penalty', 'presence_penalty'] as const) {
    if ((request[param] ?? 0) !== 0) return refuse(param, `${param} is not supported by passk serve (its sampler applies temperature, top-p and top-k only)`);
  }
  if (request.logit_bias && Object.keys(request.logit_bias).length > 0) return refuse('logit_bias', 'logit_bias is not supported by passk serve');
  const n = request.n ?? 1;
  if (endpoint === 'completions') {
    const r = request as CompletionRequest;
    if (r.suffix) return refuse('suffix', 'suffix (insertion) is not supported by passk serve');
    if (r.best_of !== undefined && r.best_of !== null && r.best_of !== n) return refuse('best_of', 'best_of other than n is not supported by passk serve');
  } else {
    const r = request as ChatRequest;
    if ((r.top_logprobs ?? 0) > 0) return refuse('top_logprobs', 'top_logprobs is not supported by passk serve: its sampler keeps only the sampled token\'s log-probability');
  }
  const greedyByDefault = defaults.doSample === false;
  const topK = request.top_k ?? defaults.topK ?? 0;
  const chat = endpoint === 'chat' ? (request as ChatRequest) : null;
  const maxTokens = chat ? chat.max_completion_tokens ?? chat.max_tokens ?? null : (request as CompletionRequest).max_tokens ?? API_DEFAULTS.completionMaxTokens;
  const stop = request.stop === undefined || request.stop === null ? [] : typeof request.stop === 'string' ? [request.stop] : request.stop;
  return {
    ok: true,
    value: {
      n,
      temperature: request.temperature ?? (greedyByDefault ? 0 : defaults.temperature ?? API_DEFAULTS.temperature),
      topP: request.top_p ?? defaults.topP ?? API_DEFAULTS.topP,
      topK: topK < 0 ? 0 : topK,
      maxTokens,
      stop: stop.filter((s) => s !== ''),
      seed: request.seed ?? null,
      stream: request.stream === true,
      includeUsage: request.stream_options?.include_usage === true,
    },
  };
}

/** A chat message's text: a string, or its text parts joined (other parts are refused by the caller). */
export function messageText(content: ChatRequest['messages'][number]['content']): Result<string, RequestProblem> {
  if (content === null) return { ok: true, value: '' };
  if (typeof content === 'string') return { ok: true, value: content };
  const other = content.find((part) => part.type !== 'text' || typeof part.text !== 'string');
  if (other) return { ok: false, error: { param: 'messages', message: `content parts of type "${other.type}" are not supported by passk serve (text only)` } };
  return { ok: true, value: content.map((part) => part.text ?? '').join('') };
}
