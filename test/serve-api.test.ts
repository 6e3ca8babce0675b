import OpenAI, { AuthenticationError, BadRequestError, NotFoundError, RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir } from '../src/node/resources.ts';
import { freePort, startServe, type ServeProcess } from './support/lab.ts';

// `passk serve` as a real process on loopback, spoken to by the official `openai` client only.
const KEY = 'sk-passk-test';
const PROMPT = 'What is 3 + 4 - 2?\nPlease reason step by step, and put your final answer within \\boxed{}.';
let serve: ServeProcess;
let client: OpenAI;

beforeAll(async () => {
  serve = await startServe(['--model', bundledModelDir('base'), '--model', `tuned=${bundledModelDir('rl')}`, '--port', String(await freePort()), '--api-key', KEY, '--threads', '1']);
  client = new OpenAI({ baseURL: serve.baseUrl, apiKey: KEY, maxRetries: 0 });
}, 90_000);

afterAll(async () => {
  await serve?.kill('SIGTERM');
});

const health = async () => (await (await fetch(serve.baseUrl.replace(/\/v1$/, '/health'))).json()) as { models: { name: string; cohorts: number; rows: number }[] };

describe('passk serve through the official openai client', () => {
  it('lists its models, and draws completions whose seed fixes the text', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['base', 'tuned']);
    const ask = () => client.completions.create({ model: 'base', prompt: PROMPT, n: 3, max_tokens: 40, temperature: 0.6, top_p: 0.95, seed: 5, logprobs: 0 });
    const first = await ask();
    expect(first.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    for (const c of first.choices) {
      expect(c.text.length).toBeGreaterThan(0);
      expect(['stop', 'length']).toContain(c.finish_reason);
      expect(c.logprobs!.token_logprobs!.every((lp) => typeof lp === 'number' && lp <= 0)).toBe(true);
      expect(c.logprobs!.tokens!.length).toBe(c.logprobs!.token_logprobs!.length);
    }
    expect(first.usage!.completion_tokens).toBe(first.choices.reduce((t, c) => t + c.logprobs!.token_logprobs!.length, 0));
    expect(new Set(first.choices.map((c) => c.text)).size).toBeGreaterThan(1);
    const again = await ask();
    expect(again.choices.map((c) => c.text)).toEqual(first.choices.map((c) => c.text));
  }, 60_000);

  it('batches concurrent requests for one prompt into cohorts, and each text is the one its seed gives alone', async () => {
    const seeds = Array.from({ length: 12 }, (_, i) => 100 + i);
    const one = (seed: number) => client.completions.create({ model: 'tuned', prompt: PROMPT, max_tokens: 40, temperature: 0.6, seed });
    const before = (await health()).models.find((m) => m.name === 'tuned')!;
    const together = await Promise.all(seeds.map(one));
    const after = (await health()).models.find((m) => m.name === 'tuned')!;
    expect(after.rows - before.rows).toBe(12);
    expect(after.cohorts - before.cohorts).toBeLessThan(12);
    const alone: string[] = [];
    for (const seed of seeds) alone.push((await one(seed)).choices[0].text);
    expect(together.map((r) => r.choices[0].text)).toEqual(alone);
  }, 60_000);

  it('answers chat with the model\'s template, and streams the same text it returns whole', async () => {
    const messages = [{ role: 'user' as const, content: PROMPT }];
    const whole = await client.chat.completions.create({ model: 'tuned', messages, max_tokens: 60, seed: 9, temperature: 0.6 });
    expect(whole.object).toBe('chat.completion');
    expect(whole.choices[0].message.role).toBe('assistant');
    expect(whole.choices[0].message.content!.length).toBeGreaterThan(0);
    let streamed = '';
    let finish: string | null = null;
    for await (const chunk of await client.chat.completions.create({ model: 'tuned', messages, max_tokens: 60, seed: 9, temperature: 0.6, stream: true })) {
      streamed += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(streamed).toBe(whole.choices[0].message.content);
    expect(finish).toBe(whole.choices[0].finish_reason);

    const text = await client.completions.create({ model: 'base', prompt: PROMPT, max_tokens: 40, seed: 3, temperature: 0.6 });
    const pieces: string[] = [];
    let usage: OpenAI.Completions.CompletionUsage | undefined;
    for await (const chunk of await client.completions.create({ model: 'base', prompt: PROMPT, max_tokens: 40, seed: 3, temperature: 0.6, stream: true, stream_options: { include_usage: true } })) {
      pieces.push(chunk.choices[0]?.text ?? '');
      usage = chunk.usage ?? usage;
    }
    expect(pieces.join('')).toBe(text.choices[0].text);
    expect(usage?.completion_tokens).toBe(text.usage!.completion_tokens);
  }, 60_000);

  it('echoes a prompt with its token log-probabilities (what scoring and lm-evaluation-harness read)', async () => {
    const echo = await client.completions.create({ model: 'base', prompt: PROMPT, max_tokens: 0, echo: true, logprobs: 2, temperature: 0 });
    const lp = echo.choices[0].logprobs!;
    expect(echo.choices[0].text).toBe(PROMPT);
    expect(lp.token_logprobs![0]).toBeNull();
    expect(lp.token_logprobs!.slice(1).every((x) => typeof x === 'number' && x < 0)).toBe(true);
    expect(lp.tokens!.join('')).toBe(PROMPT);
    expect(lp.text_offset).toEqual(lp.tokens!.map((_, i) => lp.tokens!.slice(0, i).join('').length));
    expect(Object.keys(lp.top_logprobs![1]!)).toHaveLength(2);
  }, 60_000);

  it('refuses a bad key, a bad request, an unknown model and a setting it cannot honour, as the client expects', async () => {
    const wrong = new OpenAI({ baseURL: serve.baseUrl, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(wrong.completions.create({ model: 'base', prompt: 'x' })).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(client.completions.create({ model: 'base', prompt: 'x', temperature: -1 })).rejects.toSatisfy((e) => e instanceof BadRequestError && e.param === 'temperature');
    await expect(client.completions.create({ model: 'base', prompt: 'x', max_tokens: 10_000 })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/maximum context length is 512 tokens/) });
    await expect(client.chat.completions.create({ model: 'base', messages: [] })).rejects.toMatchObject({ status: 400, param: 'messages' });
    await expect(client.completions.create({ model: 'gpt-4o', prompt: 'x' })).rejects.toSatisfy((e) => e instanceof NotFoundError && (e as NotFoundError).code === 'model_not_found');
    await expect(client.completions.create({ model: 'base', prompt: 'x', presence_penalty: 0.5 })).rejects.toMatchObject({ status: 400, param: 'presence_penalty' });
  }, 60_000);
});

describe('passk serve when full', () => {
  it('answers 429 with Retry-After beyond --max-concurrent-requests', async () => {
    const small = await startServe(['--model', bundledModelDir('base'), '--port', String(await freePort()), '--max-concurrent-requests', '1', '--threads', '1']);
    try {
      const plain = new OpenAI({ baseURL: small.baseUrl, apiKey: 'none', maxRetries: 0 });
      const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => plain.completions.create({ model: 'base', prompt: PROMPT, max_tokens: 60, seed: i })));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
      expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
      expect(refused.length).toBeGreaterThan(0);
      for (const e of refused) {
        expect(e).toBeInstanceOf(RateLimitError);
        expect((e as RateLimitError).headers?.get('retry-after')).toBe('1');
      }
    } finally {
      await small.kill('SIGTERM');
    }
  }, 90_000);
});
