import { describe, expect, it } from 'vitest';
import { answerScore, backoffMs, isRetryable, requestGroups, requestSeed, samplesFromChoices } from './server-sampling.ts';

const stream = { seed: '7', modelId: 'rl', problemId: 'p1' };

describe('server sampling', () => {
  it('gives sample i the same 31-bit seed however the work is split', () => {
    const seeds = Array.from({ length: 64 }, (_, i) => requestSeed(stream, i));
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31)).toBe(true);
    expect(new Set(seeds).size).toBe(64);
    expect(requestSeed(stream, 5)).toBe(seeds[5]);
    expect(requestSeed({ ...stream, problemId: 'p2' }, 5)).not.toBe(seeds[5]);
    expect(requestGroups(3, 10, 4)).toEqual([{ first: 3, count: 4 }, { first: 7, count: 3 }]);
    expect(requestGroups(0, 2, 1)).toEqual([{ first: 0, count: 1 }, { first: 1, count: 1 }]);
  });

  it('retries what may pass later, with Retry-After or jittered exponential waits', () => {
    expect([408, 409, 429, 500, 503, undefined].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isRetryable)).toBe(false);
    expect(backoffMs(0, '2', () => 0.5)).toBe(2000);
    expect(backoffMs(0, 'Thu, 01 Jan 2026 00:00:10 GMT', () => 0.5, Date.parse('Thu, 01 Jan 2026 00:00:04 GMT'))).toBe(6000);
    expect(backoffMs(3, null, () => 0.5)).toBe(4000);
    expect(backoffMs(3, null, () => 0)).toBe(3000);
    expect(backoffMs(20, null, () => 1)).toBe(37_500);
    expect(backoffMs(0, '3600', () => 0.5)).toBe(60_000);
  });

  it('reads completions and chat choices as samples, and refuses choices without log-probabilities', () => {
    const choices = [
      { index: 1, text: 'b', finish_reason: 'length', logprobs: { token_logprobs: [-1, -2] } },
      { index: 0, text: 'a', finish_reason: 'stop', logprobs: { token_logprobs: [-0.5] } },
    ];
    expect(samplesFromChoices(choices, 10, 2)).toEqual({ ok: true, value: [
      { index: 10, text: 'a', tokens: 1, finish: 'stop', logprob: -0.5 },
      { index: 11, text: 'b', tokens: 2, finish: 'length', logprob: -3 },
    ] });
    const chat = [{ index: 0, message: { content: 'x' }, finish_reason: 'stop', logprobs: { content: [{ logprob: -1 }, { logprob: -1 }] } }];
    expect(samplesFromChoices(chat, 0, 1)).toEqual({ ok: true, value: [{ index: 0, text: 'x', tokens: 2, finish: 'stop', logprob: -2 }] });
    expect(samplesFromChoices([{ index: 0, text: 'a', finish_reason: 'stop', logprobs: null }], 0, 1)).toMatchObject({ ok: false, error: expect.stringMatching(/without log-probabilities/) });
    expect(samplesFromChoices(choices, 0, 3)).toMatchObject({ ok: false, error: 'asked for n = 3 choices, got 2' });
  });

  it('scores an answer from the echoed prompt by text offsets', () => {
    // "<s>" (a special token a server may echo as "") "Q: " + answer "42", then one generated token.
    const logprobs = { tokens: ['', 'Q', ': ', '4', '2', '\n'], token_logprobs: [null, -3, -1, -0.5, -0.25, -9], text_offset: [0, 0, 1, 3, 4, 5] };
    expect(answerScore(logprobs, 2, 1)).toEqual({ ok: true, value: { tokens: 2, logprob: -0.75 } });
    const spelled = { tokens: ['<s>', 'Q', ': ', '4', '2'], token_logprobs: [null, -3, -1, -0.5, -0.25], text_offset: [0, 3, 4, 6, 7] };
    expect(answerScore(spelled, 2)).toEqual({ ok: true, value: { tokens: 2, logprob: -0.75 } });
    // A token spanning the boundary (": 4") is the prompt's.
    expect(answerScore({ tokens: ['Q', ': 4', '2'], token_logprobs: [null, -1, -0.25], text_offset: [0, 1, 4] }, 2)).toEqual({ ok: true, value: { tokens: 1, logprob: -0.25 } });
    expect(answerScore({ token_logprobs: [null, -1] }, 1)).toMatchObject({ ok: false });
  });
});
