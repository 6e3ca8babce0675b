import { z } from 'zod';

/**
 * The OpenAI-compatible boundary of `passk serve` (/v1/models, /v1/completions,
 * /v1/chat/completions): the part of the API it honours, parsed at the edge. Fields other
 * clients send and that do not change the samples (user, metadata…) pass; a field that
 * would change them and that the engine cannot honour (penalties, logit_bias, suffix) is
 * refused by name rather than ignored. The `openai` worker backend speaks the same API to
 * any server through the official client, so it needs no schema here.
 */

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const tokenIds = z.array(z.number().int().min(0)).min(1);

export const MAX_CHOICES = 4096;

const sampling = {
  model: z.string().min(1),
  n: nullable(z.number().int().min(1).max(MAX_CHOICES)),
  temperature: nullable(z.number().min(0).max(100)),
  top_p: nullable(z.number().gt(0).lte(1)),
  /** vLLM's extension: -1 or 0 is off. */
  top_k: nullable(z.number().int().min(-1)),
  seed: nullable(z.number().int()),
  stop: nullable(z.union([z.string(), z.array(z.string()).max(16)])),
  stream: nullable(z.boolean()),
  stream_options: nullable(z.looseObject({ include_usage: nullable(z.boolean()) })),
  frequency_penalty: nullable(z.number()),
  presence_penalty: nullable(z.number()),
  logit_bias: nullable(z.record(z.string(), z.number())),
};

export const completionRequestSchema = z.looseObject({
  ...sampling,
  prompt: z.union([z.string(), z.array(z.string()).min(1), tokenIds, z.array(tokenIds).min(1)]),
  max_tokens: nullable(z.number().int().min(0)),
  /** The sampled token's log-probability always; top alternatives for echoed prompt tokens only. */
  logprobs: nullable(z.number().int().min(0).max(20)),
  echo: nullable(z.boolean()),
  best_of: nullable(z.number().int().min(1)),
  suffix: nullable(z.string()),
});
export type CompletionRequest = z.output<typeof completionRequestSchema>;

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
export const chatRequestSchema = z.looseObject({
  ...sampling,
  messages: z.array(z.looseObject({
    role: z.enum(['system', 'developer', 'user', 'assistant']),
    content: z.union([z.string(), z.array(contentPart)]).nullable(),
  })).min(1),
  max_tokens: nullable(z.number().int().min(1)),
  max_completion_tokens: nullable(z.number().int().min(1)),
  logprobs: nullable(z.boolean()),
  top_logprobs: nullable(z.number().int().min(0).max(20)),
});
export type ChatRequest = z.output<typeof chatRequestSchema>;

/** OpenAI's error body: the official clients turn it into APIError subclasses by status. */
export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function apiError(message: string, options: { type?: string; param?: string | null; code?: string | null } = {}): ApiErrorBody {
  return { error: { message, type: options.type ?? 'invalid_request_error', param: options.param ?? null, code: options.code ?? null } };
}

/** Completions' `logprobs` object, one per choice. */
export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  /** Top alternatives per token, where known: echoed prompt tokens; null for sampled ones (the sampler keeps no alternatives). */
  top_logprobs: (Record<string, number> | null)[] | null;
  text_offset: number[];
}
