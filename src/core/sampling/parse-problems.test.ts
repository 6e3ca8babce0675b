import { describe, expect, it } from 'vitest';
import { parseProblemsJsonl } from './parse-problems.ts';

describe('parseProblemsJsonl', () => {
  it('takes ids from id, unique_id, task_id, else the line number', () => {
    const text = [
      '{"problem": "a", "id": 7}',
      '',
      '{"problem": "b", "unique_id": "test/x.json"}',
      '{"prompt": "def f():", "task_id": "HumanEval/0"}',
      '{"question": "c"}',
    ].join('\n');
    const r = parseProblemsJsonl(text, 'p.jsonl');
    expect(r).toEqual({
      ok: true,
      value: [
        { id: '7', problem: 'a' },
        { id: 'test/x.json', problem: 'b' },
        { id: 'HumanEval/0', problem: 'def f():' },
        { id: '5', problem: 'c' },
      ],
    });
  });

  it('names the file and line of a bad record', () => {
    expect(parseProblemsJsonl('{"problem":"a"}\n{oops', 'p.jsonl')).toMatchObject({ ok: false, error: expect.stringMatching(/^p\.jsonl:2: not valid JSON/) });
    expect(parseProblemsJsonl('{"answer":"a"}', 'p.jsonl')).toMatchObject({ ok: false, error: expect.stringMatching(/^p\.jsonl:1: no string field "problem"/) });
    expect(parseProblemsJsonl('[1]', 'q')).toMatchObject({ ok: false, error: expect.stringMatching(/^q:1: expected a JSON object/) });
    expect(parseProblemsJsonl('{"problem":"a","id":1}\n{"problem":"b","id":"1"}', 'q')).toMatchObject({ ok: false, error: expect.stringMatching(/^q:2: id "1" already used on line 1/) });
  });
});
