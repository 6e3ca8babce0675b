import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseFieldMapping } from './field-mapping.ts';
import { mapRecords } from './map-records.ts';
import { findPreset, presetFromMapping, presets } from './presets.ts';
import type { Inflate } from './livecodebench-tests.ts';

const inflate: Inflate = (bytes) => {
  try {
    return { ok: true, value: inflateSync(bytes) };
  } catch (error) {
    return { ok: false, error: `not zlib data: ${(error as Error).message}` };
  }
};
const preset = (name: string) => {
  const p = findPreset(name);
  if (!p) throw new Error(`no preset ${name}`);
  return p;
};
const map = (name: string, record: unknown, index = 0) => preset(name).map(record, { index, inflate });

describe('presets', () => {
  it('cover the paper benchmarks and the code sets', () => {
    expect(presets.map((p) => p.name)).toEqual([
      'gsm8k', 'math500', 'aime24', 'amc23', 'minerva', 'olympiadbench',
      'humaneval', 'humaneval-plus', 'mbpp', 'mbpp-plus', 'livecodebench',
    ]);
  });
  it('GSM8K: gold after "#### " without commas; ids from the position', () => {
    const r = map('gsm8k', { question: 'How many?', answer: 'So 1,000 + 234 = 1,234\n#### 1,234' }, 7);
    expect(r).toMatchObject({ ok: true, value: { id: 'gsm8k-7', answer: '1234', problem: 'How many?' } });
    expect(map('gsm8k', { question: 'q', answer: 'no marker' })).toEqual({ ok: false, error: 'field "answer" has no "#### " final answer' });
  });
  it('AMC: the float 27.0 becomes "27"; AIME keeps "025"', () => {
    expect(map('amc23', { id: 0, problem: 'p', answer: 27.0 })).toMatchObject({ ok: true, value: { id: '0', answer: '27' } });
    expect(map('aime24', { id: 60, problem: 'p', answer: '025', solution: 's' })).toMatchObject({ ok: true, value: { answer: '025' } });
  });
  it('Minerva: the gold is the \\boxed{} of the solution', () => {
    expect(map('minerva', { idx: 3, problem: 'p', solution: 'so $s=\\boxed{1.6} \\mathrm{~cm}$' })).toMatchObject({ ok: true, value: { id: '3', answer: '1.6' } });
    expect(map('minerva', { idx: 3, problem: 'p', solution: 'no box' })).toMatchObject({ ok: false });
  });
  it('OlympiadBench: the final_answer list becomes one comma list without $', () => {
    const r = map('olympiadbench', { id: 1, question: 'q', context: null, final_answer: ['$69$', '$84$'], solution: ['sol'] });
    expect(r).toMatchObject({ ok: true, value: { answer: '69, 84', solution: 'sol', problem: 'q' } });
    expect(map('olympiadbench', { id: 1, question: 'q', final_answer: [] })).toMatchObject({ ok: false, error: expect.stringContaining('final_answer') });
  });
  it('HumanEval and MBPP keep the whole record as the code task', () => {
    const he = { task_id: 'HumanEval/0', prompt: 'def f():\n', canonical_solution: '  return 1\n', test: 'def check(c): pass', entry_point: 'f' };
    expect(map('humaneval', he)).toEqual({ ok: true, value: { id: 'HumanEval/0', kind: 'code', problem: he.prompt, answer: null, solution: he.canonical_solution, task: he } });
    const mbpp = { task_id: 2, text: 'Write f.', code: 'def f(): return 1', test_list: ['assert f() == 1'] };
    expect(map('mbpp', mbpp)).toMatchObject({ ok: true, value: { id: '2', problem: 'Write f.', task: mbpp } });
  });
  it('LiveCodeBench: public and private tests decoded, metadata parsed', () => {
    const record = {
      question_id: 'abc301_a',
      question_content: 'Read two numbers and print their sum.',
      starter_code: '',
      public_test_cases: '[{"input": "1 2\\n", "output": "3\\n", "testtype": "stdin"}]',
      private_test_cases: 'eJxrYJlqxwABPVbR1UqZeQWlJUpWCkqGCkYxeUo6Ckr5pSVQIWOIQElqcUlJZUEqSKi4JCUzT6k2dooeALEqFJ0=',
      metadata: '{}',
    };
    const r = map('livecodebench', record);
    expect(r).toMatchObject({
      ok: true,
      value: {
        id: 'abc301_a',
        kind: 'code',
        task: {
          public_test_cases: [{ input: '1 2\n', output: '3\n', testtype: 'stdin' }],
          private_test_cases: [{ input: '1 2\n', output: '3\n', testtype: 'stdin' }],
          metadata: {},
        },
      },
    });
    expect(map('livecodebench', { ...record, private_test_cases: 'eJwr' })).toMatchObject({ ok: false, error: expect.stringContaining('private_test_cases') });
  });
});

describe('mapRecords', () => {
  const math500 = preset('math500');
  it('refuses the whole file at the first bad record, naming file:line and the field', () => {
    const records = [
      { line: 1, value: { unique_id: 'a', problem: 'p', answer: '1' } },
      { line: 2, value: { unique_id: 'b', problem: 'p' } },
    ];
    expect(mapRecords('m.jsonl', records, math500, inflate)).toEqual({ ok: false, error: 'm.jsonl:2: field "answer" is missing (preset math500)' });
  });
  it('refuses duplicate ids', () => {
    const records = [1, 2].map((line) => ({ line, value: { unique_id: 'same', problem: 'p', answer: '1' } }));
    expect(mapRecords('m.jsonl', records, math500, inflate)).toEqual({ ok: false, error: 'm.jsonl:2: id "same" already used at line 1' });
  });
  it('maps a custom field mapping with dot paths', () => {
    const mapping = parseFieldMapping('problem=q.text, answer=gold, id=meta.id');
    if (!mapping.ok) throw new Error(mapping.error);
    const r = mapRecords('x.json', [{ line: 1, value: { q: { text: 'What?' }, gold: 3, meta: { id: 'x1' } } }], presetFromMapping(mapping.value), inflate);
    expect(r).toEqual({ ok: true, value: [{ id: 'x1', kind: 'math', problem: 'What?', answer: '3', solution: null, task: null }] });
  });
  it('parseFieldMapping names what is wrong', () => {
    expect(parseFieldMapping('answer=a')).toEqual({ ok: false, error: 'the mapping needs problem=SOURCE_FIELD' });
    expect(parseFieldMapping('problem=q,gold=a')).toMatchObject({ ok: false, error: expect.stringContaining('"gold"') });
  });
});
