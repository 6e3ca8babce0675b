import { describe, expect, it } from 'vitest';
import { formatInputError, parseVerdictsJsonl } from './parse-verdicts-jsonl.ts';

const jsonl = (...rows: unknown[]): string => rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n') + '\n';
const errorsOf = (text: string): string[] => {
  const result = parseVerdictsJsonl(text, 'v.jsonl');
  if (result.ok) throw new Error('expected the input to be refused');
  return result.error.map(formatInputError);
};

describe('parseVerdictsJsonl', () => {
  it('reduces per-sample rows to counts, with roles and numeric problem ids', () => {
    const text = jsonl(
      { model: 'b', role: 'base', problem: 1, correct: true, sample: 0 },
      { model: 'b', problem: 1, correct: false, sample: 1, answer: 'ignored extra field' },
      '',
      { model: 'r', role: 'rl', problem: '1', correct: true },
      { model: 'r', problem: '1', correct: true },
    );
    expect(parseVerdictsJsonl(text, 'v.jsonl')).toEqual({
      ok: true,
      value: [
        { model: 'b', role: 'base', problem: '1', n: 2, c: 1 },
        { model: 'r', role: 'rl', problem: '1', n: 2, c: 2 },
      ],
    });
  });

  it('reads per-problem rows', () => {
    const text = jsonl({ model: 'b', problem: 'p', n: 128, c: 3 }, { model: 'r', problem: 'p', n: 64, c: 0, role: 'rl' });
    expect(parseVerdictsJsonl(text, 'v.jsonl')).toEqual({
      ok: true,
      value: [{ model: 'b', problem: 'p', n: 128, c: 3 }, { model: 'r', role: 'rl', problem: 'p', n: 64, c: 0 }],
    });
  });

  it('names file and line of text that is not JSON or not an object', () => {
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', n: 2, c: 1 }, '{"model": "b",'))).toEqual([
      expect.stringMatching(/^v\.jsonl:2: not valid JSON \(.+\); each line must hold one JSON object$/),
    ]);
    expect(errorsOf(jsonl('[1, 2]'))[0]).toMatch(/^v\.jsonl:1: expected a JSON object/);
  });

  it('names missing and ill-typed fields', () => {
    expect(errorsOf(jsonl({ problem: 'p', correct: true }))).toEqual(['v.jsonl:1: field "model": missing']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', correct: 'yes' }))).toEqual(['v.jsonl:1: field "correct": expected true or false']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', n: 2.5, c: 1 }))).toEqual(['v.jsonl:1: field "n": expected an integer']);
    expect(errorsOf(jsonl({ model: '', problem: 'p', n: 2, c: 1 }))).toEqual(['v.jsonl:1: field "model": expected a non-empty string']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', n: 2, c: 1, role: 'teacher' }))).toEqual(['v.jsonl:1: field "role": expected one of base, rl, distilled, other']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p' }))[0]).toContain('neither a per-sample row');
  });

  it('refuses c > n, duplicates, mixed formats and two roles for one model', () => {
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', n: 2, c: 3 }))).toEqual(['v.jsonl:1: c=3 exceeds n=2: a problem cannot have more correct samples than samples']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', n: 2, c: 1 }, { model: 'b', problem: 'p', n: 2, c: 1 })))
      .toEqual(['v.jsonl:2: duplicate row: model "b", problem "p" already on line 1']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', correct: true, sample: 3 }, { model: 'b', problem: 'p', correct: false, sample: 3 })))
      .toEqual(['v.jsonl:2: duplicate sample: model "b", problem "p", sample 3 already on line 1']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', correct: true }, { model: 'b', problem: 'q', n: 2, c: 1 })))
      .toEqual(['v.jsonl:2: per-problem row in a per-sample file (line 1 set the format); use one format per file']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', correct: true, n: 3 }))[0]).toContain('both "correct" and "n"/"c"');
    expect(errorsOf(jsonl({ model: 'b', role: 'base', problem: 'p', n: 2, c: 1 }, { model: 'b', role: 'rl', problem: 'q', n: 2, c: 1 })))
      .toEqual(['v.jsonl:2: model "b" has role "rl" here but "base" on line 1; give each model one role']);
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', correct: true, sample: 0 }, { model: 'b', problem: 'p', correct: true }))[0])
      .toContain('"sample" is missing here but given on line 1');
  });

  it('collects several errors in one pass, each with its line', () => {
    const errors = errorsOf(jsonl({ model: 'b', problem: 'p', n: 2, c: 1 }, 'oops', { model: 'b', problem: 'q', n: 2, c: 5 }));
    expect(errors.map((e) => e.split(':').slice(0, 2).join(':'))).toEqual(['v.jsonl:2', 'v.jsonl:3']);
  });

  it('refuses models with different problem sets, naming model and problem', () => {
    const text = jsonl({ model: 'b', problem: 'p', n: 2, c: 1 }, { model: 'b', problem: 'q', n: 2, c: 1 }, { model: 'r', problem: 'p', n: 2, c: 1 });
    expect(errorsOf(text)).toEqual([
      'v.jsonl: model "r" has no rows for problem "q" (model "b" has them); every model needs the same problems so they can be compared problem by problem',
    ]);
  });

  it('refuses an empty file', () => {
    expect(errorsOf('\n\n')).toEqual(['v.jsonl: no rows: the file holds no JSON lines']);
  });
});

describe('fallback verdicts (answer = last number in the response)', () => {
  const text = jsonl(
    { model: 'b', problem: 'p', correct: true, reason: 'equivalent: same integer (fallback: last number in the text)' },
    { model: 'b', problem: 'p', correct: true, reason: 'equivalent: same integer (from \\boxed{})' },
    { model: 'b', problem: 'p', correct: false, fallback: true },
    { model: 'r', problem: 'p', correct: true, fallback: true },
  );

  it('are tallied by model, from "fallback": true or the verifier\'s reason', () => {
    expect(parseVerdictsJsonl(text, 'v.jsonl')).toEqual({
      ok: true,
      value: [{ model: 'b', problem: 'p', n: 3, c: 2 }, { model: 'r', problem: 'p', n: 1, c: 1 }],
      fallback: { verdicts: 3, correct: 2, byModel: { b: { verdicts: 2, correct: 1 }, r: { verdicts: 1, correct: 1 } } },
    });
  });

  it('count as incorrect with excludeFallback, samples kept so n is unchanged', () => {
    const result = parseVerdictsJsonl(text, 'v.jsonl', { excludeFallback: true });
    expect(result.ok && result.value).toEqual([{ model: 'b', problem: 'p', n: 3, c: 1 }, { model: 'r', problem: 'p', n: 1, c: 0 }]);
  });

  it('leave files without them as they were', () => {
    const plain = parseVerdictsJsonl(jsonl({ model: 'b', problem: 'p', correct: true }), 'v.jsonl');
    expect(plain).toEqual({ ok: true, value: [{ model: 'b', problem: 'p', n: 1, c: 1 }] });
    expect('fallback' in plain).toBe(false);
  });

  it('name an ill-typed fallback field', () => {
    expect(errorsOf(jsonl({ model: 'b', problem: 'p', correct: true, fallback: 'yes' }))).toEqual(['v.jsonl:1: field "fallback": expected true or false']);
  });
});
