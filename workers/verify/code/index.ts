import { availableParallelism } from 'node:os';
import { buildProgram, sameOutput, type CodeTask } from '../../../src/core/verify/code/code-task.ts';
import type { Verdict } from '../../../src/core/verify/verdict.ts';
import { bwrapWorks, DEFAULT_LIMITS, runSandboxed, type Isolation, type RunOutcome, type SandboxLimits } from './run-sandboxed.ts';

export interface CodePoolOptions {
  /** 'none' runs model-written code as the current user: only on explicit request (--unsafe-no-sandbox). */
  sandbox: Isolation;
  concurrency?: number;
  timeoutMs?: number;
  memoryMb?: number;
}

export interface CodePool {
  verify(task: CodeTask, completion: string): Promise<Verdict>;
  close(): Promise<void>;
}

export { bwrapWorks };

export class SandboxUnavailableError extends Error {}


/** A bounded pool: at most `concurrency` programs run at once; the rest wait in order. */
export function createCodePool(options: CodePoolOptions): CodePool {
  if (options.sandbox === 'bwrap' && !bwrapWorks()) {
    throw new SandboxUnavailableError(
      'bubblewrap (bwrap) is missing or cannot create namespaces here, so model-written code will not be run. '
      + 'Install it (Debian: apt-get install bubblewrap), or pass --unsafe-no-sandbox to run the code unconfined as your user.',
    );
  }
  const limits: SandboxLimits = {
    ...DEFAULT_LIMITS,
    timeoutMs: options.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
    cpuSeconds: Math.ceil((options.timeoutMs ?? DEFAULT_LIMITS.timeoutMs) / 1000),
    memoryMb: options.memoryMb ?? DEFAULT_LIMITS.memoryMb,
  };
  const slots = Math.max(1, options.concurrency ?? availableParallelism());
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (running < slots) { running++; return; }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const run = async (source: string, stdin: string) => {
    await acquire();
    try {
      return await runSandboxed(source, stdin, options.sandbox, limits);
    } finally {
      release();
    }
  };
  return {
    async verify(task, completion) {
      const program = buildProgram(task, completion);
      for (const [i, r] of program.runs.entries()) {
        const outcome = await run(program.source, r.stdin);
        const failure = describeFailure(outcome, limits);
        const label = program.runs.length > 1 ? `test ${i + 1}/${program.runs.length}: ` : '';
        if (failure) return { correct: false, extracted: summary(outcome), reason: label + failure };
        if (r.expectedStdout !== null && !sameOutput(outcome.stdout, r.expectedStdout)) {
          return { correct: false, extracted: summary(outcome), reason: `${label}wrong output` };
        }
      }
      return { correct: true, extracted: 'passed', reason: `passed ${program.runs.length > 1 ? `all ${program.runs.length} tests` : 'the tests'}` };
    },
    async close() {},
  };
}

function describeFailure(o: RunOutcome, limits: SandboxLimits): string | null {
  if (o.timedOut) return `timeout after ${limits.timeoutMs / 1000} s`;
  if (o.outputCapped) return `output over ${limits.outputBytes} bytes`;
  if (o.signal !== null) return `killed by ${o.signal} (CPU ${limits.cpuSeconds} s / memory ${limits.memoryMb} MB limits)`;
  if (o.exitCode !== 0) return `exit code ${o.exitCode}: ${lastLine(o.stderr) || 'no message'}`;
  return null;
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
const summary = (o: RunOutcome) => lastLine(o.stderr) || lastLine(o.stdout) || null;
