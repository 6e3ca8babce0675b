import { describe, expect, it } from 'vitest';
import { DEFAULT_MATH_OPTIONS } from '../../../core/verify/math/index.ts';
import { JudgeBudget, judgeMathAgain } from './judge-again.ts';

const key = { runId: 'r', modelId: 'm', problemId: 'p', workerId: 'w', leaseId: 3 };
const PROBLEM = { gold: '4', text: 'What is 2 + 2?' };
const items = (n: number, claimed: boolean) => Array.from({ length: n }, (_, index) => ({
  index, text: index % 2 === 0 ? 'so \\boxed{4}' : 'no answer', claimed: { correct: claimed, extracted: null, reason: 'worker' },
}));

describe('judging math again on the coordinator', () => {
  it('stores its own verdict for every text while it keeps up, and names each disagreement', () => {
    const { verdicts, disagreements } = judgeMathAgain(key, PROBLEM, DEFAULT_MATH_OPTIONS, items(6, true), new JudgeBudget());
    expect(verdicts.map((v) => [v.correct, v.judge, v.workerId, v.leaseId])).toEqual(Array.from({ length: 6 }, (_, i) => [i % 2 === 0, 'coordinator', 'w', 3]));
    expect(disagreements).toEqual([1, 3, 5].map((index) => ({ index, claimed: true, found: false })));
  });

  it('behind its budget, judges a random fraction of a big batch (at least 16) and keeps the worker\'s verdict for the rest; a forger of every verdict is still caught', () => {
    let now = 0;
    const budget = new JudgeBudget(0.25, 1 / 16, 1000, () => now);
    budget.charge(300);
    // Every text answerless and claimed correct: each one judged disagrees (none judged: p = (15/16)^256 < 1e-7).
    const forged = items(256, true).map((item) => ({ ...item, text: 'no answer' }));
    const { verdicts, disagreements } = judgeMathAgain(key, PROBLEM, DEFAULT_MATH_OPTIONS, forged, budget);
    const ours = verdicts.filter((v) => v.judge === 'coordinator').length;
    expect(ours).toBeGreaterThan(0);
    expect(ours).toBeLessThan(128);
    expect(verdicts.filter((v) => v.judge === 'worker').every((v) => v.reason === 'worker')).toBe(true);
    expect(disagreements).toHaveLength(ours);
    // A new window: all judged again.
    now = 1000;
    expect(budget.fraction()).toBe(1);
    // A small batch is judged whole whatever the budget says.
    budget.charge(300);
    expect(judgeMathAgain(key, PROBLEM, DEFAULT_MATH_OPTIONS, items(8, false), budget).verdicts.every((v) => v.judge === 'coordinator')).toBe(true);
  });
});
