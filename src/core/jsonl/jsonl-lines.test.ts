import { describe, expect, it } from 'vitest';
import { isJsonObject, jsonlLines } from './jsonl-lines.ts';

describe('jsonlLines', () => {
  it('parses non-blank lines with their 1-based numbers and reports bad ones in place', () => {
    const lines = [...jsonlLines('{"a":1}\n\n  \n[2]\n{oops\r\n"x"\n')];
    expect(lines.map((l) => l.line)).toEqual([1, 4, 5, 6]);
    expect(lines[0]).toEqual({ line: 1, ok: true, value: { a: 1 } });
    expect(lines[2]).toMatchObject({ ok: false, error: expect.stringMatching(/^not valid JSON \(.+\); each line must hold one JSON object$/) });
    expect(lines.filter((l) => l.ok).map((l) => l.ok && isJsonObject(l.value))).toEqual([true, false, false]);
  });
});
