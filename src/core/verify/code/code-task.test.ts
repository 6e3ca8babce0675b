import { describe, expect, it } from 'vitest';
import { buildProgram, sameOutput, toCodeTask } from './code-task.ts';

describe('code tasks', () => {
  it('recognises HumanEval, MBPP and stdio records and names the fields it wanted otherwise', () => {
    expect(toCodeTask({ task_id: 'HumanEval/0', prompt: 'def f():\n', test: 'def check(c): assert c() == 1', entry_point: 'f' }))
      .toEqual({ ok: true, value: { kind: 'humaneval', prompt: 'def f():\n', test: 'def check(c): assert c() == 1', entryPoint: 'f' } });
    expect(toCodeTask({ task_id: 2, text: 'add', test_list: ['assert add(1, 2) == 3'] }))
      .toEqual({ ok: true, value: { kind: 'mbpp', testList: ['assert add(1, 2) == 3'], testSetupCode: '', testImports: [], entryPoints: [] } });
    expect(toCodeTask({ public_test_cases: [{ input: '1\n', output: '2\n' }], private_test_cases: [{ input: '5\n', output: '6\n' }] }))
      .toEqual({ ok: true, value: { kind: 'stdio', tests: [{ input: '1\n', output: '2\n' }, { input: '5\n', output: '6\n' }] } });
    // The reference solution says which names the task asks for, builtins' names included (MBPP 126's sum).
    const withCode = toCodeTask({ task_id: 126, code: 'import math\ndef sum(a, b):\n    return 1\n\nclass  Node:\n    pass\n    def inner(self): pass\n', test_list: ['assert sum(1, 2) == 1'] });
    expect(withCode.ok && withCode.value.kind === 'mbpp' && withCode.value.entryPoints).toEqual(['sum', 'Node']);
    const plus = toCodeTask({ task_id: 'Mbpp/2', code: 'def f(): pass', entry_point: 'g', test_list: ['assert g()'] });
    expect(plus.ok && plus.value.kind === 'mbpp' && plus.value.entryPoints).toEqual(['f', 'g']);
    const bad = toCodeTask({ prompt: 'x' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/entry_point.*test_list.*public_test_cases/);
  });

  it('builds the programs the benchmarks define, the tests apart from the completion', () => {
    expect(buildProgram({ kind: 'humaneval', prompt: 'def f():\n', test: 'T', entryPoint: 'f' }, '    return 1\n')).toEqual({
      mode: 'call', candidate: 'def f():\n    return 1\n\n', trusted: 'def f():\n', test: 'T\n\ncheck(f)\n', remote: ['f'], discover: false, entryPoints: [],
    });
    expect(buildProgram({ kind: 'mbpp', testList: ['assert g()', 'assert g() == 1'], testSetupCode: 'X = 1', testImports: ['import math'], entryPoints: ['g'] }, 'def g(): return 1')).toEqual({
      mode: 'call', candidate: 'import math\nX = 1\ndef g(): return 1\n', trusted: 'import math\nX = 1', test: 'assert g()\nassert g() == 1\n', remote: [], discover: true, entryPoints: ['g'],
    });
    const tests = [{ input: 'a', output: 'b' }, { input: 'c', output: 'd' }];
    expect(buildProgram({ kind: 'stdio', tests }, 'print(input())')).toEqual({ mode: 'stdio', source: 'print(input())', tests });
  });

  it('compares stdio output line by line, ignoring trailing spaces and blank tail lines only', () => {
    expect(sameOutput('1 2  \n3\n\n', '1 2\n3')).toBe(true);
    expect(sameOutput('1 2\n3', '1  2\n3')).toBe(false);
    expect(sameOutput('', '0')).toBe(false);
  });
});
