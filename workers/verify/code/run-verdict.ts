import { sameOutput, type Program } from '../../../src/core/verify/code/code-task.ts';
import type { Verdict } from '../../../src/core/verify/verdict.ts';
import type { SandboxUsage } from './cgroups.ts';
import type { StdioRun } from './judge-messages.ts';
import type { SandboxLimits } from './sandbox-limits.ts';

/** What one sandbox run told Node, from the judge (descriptor 3) and from the process itself. */
export interface RunRecord {
  ready: boolean;
  verdict: { passed: boolean; reason: string } | null;
  runs: StdioRun[];
  tampered: string | null;
  timedOut: boolean;
  startupTimedOut: boolean;
  exitCode: number | null;
  signal: string | null;
  stderr: string;
}

/** The verdict of a run whose judge was ready: the judge's, or wrong when it gave none. */
export function decideVerdict(program: Program, r: RunRecord, usage: SandboxUsage | null, limits: SandboxLimits): Verdict {
  const memory = usage && usage.oomKills > 0 ? ` (the sandbox reached its memory limit, ${limits.memoryMb} MB)` : '';
  const wrong = (reason: string, extracted: string | null = reason): Verdict => ({ correct: false, extracted: extracted?.slice(0, 300) ?? null, reason: (reason + memory).slice(0, 600) });
  if (r.tampered) return wrong(r.tampered);
  if (program.mode === 'call') {
    if (r.verdict) return r.verdict.passed ? { correct: true, extracted: 'passed', reason: r.verdict.reason } : wrong(r.verdict.reason);
    if (r.timedOut) return wrong(`timeout after ${limits.timeoutMs / 1000} s`);
    return wrong(`the sandbox ended without a verdict (${r.signal ? `killed by ${r.signal}` : `exit status ${r.exitCode}`})`);
  }
  const expected = program.tests.map((t) => t.output);
  const label = (i: number) => (expected.length > 1 ? `test ${i + 1}/${expected.length}: ` : '');
  for (const run of r.runs) {
    const failure = runFailure(run, expected[run.index], limits);
    if (failure) return wrong(label(run.index) + failure, lastLine(run.stderrTail) || lastLine(run.stdout) || null);
  }
  if (r.runs.length === expected.length) return { correct: true, extracted: 'passed', reason: expected.length > 1 ? `passed all ${expected.length} tests` : 'passed the tests' };
  return wrong(label(r.runs.length) + (r.timedOut ? `timeout after ${limits.timeoutMs / 1000} s` : 'the sandbox ended before the test ran'));
}

/** stdio: whether the runs so far decide the verdict (a failure, or every test done). */
export function stdioDecided(program: Extract<Program, { mode: 'stdio' }>, runs: StdioRun[], limits: SandboxLimits): boolean {
  const last = runs.at(-1);
  return runs.length === program.tests.length || (last !== undefined && runFailure(last, program.tests[last.index]?.output, limits) !== null);
}

function runFailure(r: StdioRun, expected: string | undefined, limits: SandboxLimits): string | null {
  if (r.timedOut) return `timeout after ${limits.timeoutMs / 1000} s`;
  if (r.outputCapped) return `output over ${limits.outputBytes} bytes`;
  if (r.signal !== null) return `killed by ${r.signal} (CPU ${limits.cpuSeconds} s / memory ${limits.memoryMb} MB limits)`;
  if (r.exitCode !== 0) return `exit code ${r.exitCode}: ${lastLine(r.stderrTail) || 'no message'}`;
  if (expected === undefined || !sameOutput(r.stdout, expected)) return 'wrong output';
  return null;
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
