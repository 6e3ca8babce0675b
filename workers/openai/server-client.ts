import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { ServerInfo } from '../../src/core/protocol/worker-protocol.ts';
import type { Result } from '../../src/core/result.ts';
import { backoffMs, isRetryable } from '../../src/core/serving/server-sampling.ts';
import { Limiter } from './limiter.ts';

export interface ServerClientOptions {
  /** The API root, e.g. http://gpu1:8000/v1. */
  baseUrl: string;
  /** null: OPENAI_API_KEY, else none (vLLM and passk serve without --api-key take any). */
  apiKey: string | null;
  model: string;
  concurrency: number;
  maxRetries: number;
  timeoutMs: number;
  log: (line: string) => void;
}

type Completion = OpenAI.Completions.Completion;
type ChatCompletion = OpenAI.Chat.Completions.ChatCompletion;

/** A request was stopped because its lease was called back: not an error to report. */
export const ABORTED = 'aborted';

/**
 * An inference server through the official `openai` client: at most `concurrency` requests
 * in flight, retries with backoff on 429, 5xx and failed connections (the client's own
 * retries are off so each one is logged), and errors that say which server and what to do.
 */
export class ServerClient {
  private readonly limiter: Limiter;

  private constructor(readonly client: OpenAI, readonly options: ServerClientOptions, readonly echoMaxTokens: number) {
    this.limiter = new Limiter(options.concurrency);
  }

  /**
   * Checks the server before the worker joins: it answers, takes the key, serves the model,
   * and whether it returns prompt log-probabilities (echo), which scoring needs.
   */
  static async connect(options: ServerClientOptions): Promise<Result<{ client: ServerClient; info: ServerInfo }>> {
    const client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey ?? process.env.OPENAI_API_KEY ?? 'none', maxRetries: 0, timeout: options.timeoutMs });
    let models: { id: string }[];
    try {
      models = (await client.models.list()).data;
    } catch (error) {
      return { ok: false, error: describeError(error, options.baseUrl, 'models') };
    }
    const entry = models.find((m) => m.id === options.model);
    if (!entry) return { ok: false, error: `${options.baseUrl} serves ${models.map((m) => `"${m.id}"`).join(', ') || 'no models'}, not "${options.model}" (--served-model)` };
    // Scoring reads the prompt's own log-probabilities: echo them without drawing (max_tokens 0, as vLLM allows), else with one token drawn.
    let scoringProblem: string | null = null;
    let echoMaxTokens = 0;
    for (const maxTokens of [0, 1]) {
      try {
        const probe = await client.completions.create({ model: options.model, prompt: 'Hello, world.', max_tokens: maxTokens, echo: true, logprobs: 0, temperature: 0 });
        const lps = probe.choices[0]?.logprobs;
        scoringProblem = lps?.token_logprobs && lps.text_offset && lps.tokens && lps.token_logprobs.length >= 2 && typeof lps.token_logprobs[1] === 'number'
          ? null : 'it answers echo requests without the prompt\'s token log-probabilities';
        echoMaxTokens = maxTokens;
        break;
      } catch (error) {
        scoringProblem = `it refuses echo requests with logprobs (${describeError(error, options.baseUrl, 'completions')})`;
      }
    }
    const info: ServerInfo = {
      baseUrl: options.baseUrl, model: options.model, entry: entry as unknown as Record<string, unknown>,
      scoring: scoringProblem === null, scoringProblem: scoringProblem === null ? null : `${options.baseUrl}: ${scoringProblem}; scoring shards go to other workers`,
      concurrency: options.concurrency,
    };
    return { ok: true, value: { client: new ServerClient(client, options, echoMaxTokens), info } };
  }

  complete(body: OpenAI.Completions.CompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<Result<Completion>> {
    return this.call('completions', () => this.client.completions.create(body, { signal }), signal);
  }

  chat(body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<Result<ChatCompletion>> {
    return this.call('chat/completions', () => this.client.chat.completions.create(body, { signal }), signal);
  }

  private call<T>(endpoint: string, request: () => Promise<T>, signal: AbortSignal): Promise<Result<T>> {
    return this.limiter.run(async () => {
      for (let attempt = 0; ; attempt++) {
        if (signal.aborted) return { ok: false, error: ABORTED };
        try {
          return { ok: true, value: await request() };
        } catch (error) {
          if (error instanceof APIUserAbortError || signal.aborted) return { ok: false, error: ABORTED };
          const status = error instanceof APIError ? error.status : undefined;
          const retryable = (error instanceof APIConnectionError || error instanceof APIError) && isRetryable(status);
          const why = describeError(error, this.options.baseUrl, endpoint);
          if (!retryable || attempt >= this.options.maxRetries) return { ok: false, error: retryable ? `${why} (after ${attempt + 1} attempts)` : why };
          const wait = backoffMs(attempt, error instanceof APIError ? error.headers?.get('retry-after') ?? null : null, Math.random);
          this.options.log(`${why}; retry ${attempt + 1}/${this.options.maxRetries} in ${(wait / 1000).toFixed(1)} s`);
          await new Promise<void>((go) => {
            const timer = setTimeout(go, wait);
            signal.addEventListener('abort', () => { clearTimeout(timer); go(); }, { once: true });
          });
        }
      }
    });
  }
}

/** What went wrong, where, and what to do about it. */
export function describeError(error: unknown, baseUrl: string, endpoint: string): string {
  const where = `${baseUrl.replace(/\/+$/, '')}/${endpoint}`;
  if (error instanceof APIConnectionError) {
    const cause = (error.cause as Error | undefined)?.message ?? error.message;
    return `cannot reach ${where}: ${cause}; is the server running, and is --base-url its API root (e.g. http://host:8000/v1)?`;
  }
  if (error instanceof APIError) {
    const message = error.message.replace(/^\d+ /, '');
    if (error.status === 401 || error.status === 403) return `${where} refused the API key (${error.status}: ${message}); pass the server's key with --api-key (or OPENAI_API_KEY)`;
    if (error.status === 404 && endpoint === 'models') return `${where}: not found (404); --base-url should be the server's API root, e.g. http://host:8000/v1`;
    return `${where} answered ${error.status}: ${message}`;
  }
  return `${where}: ${(error as Error).message}`;
}
