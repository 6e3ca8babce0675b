import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { sameOutput, type Program } from '../../../src/core/verify/code/code-task.ts';
import type { Verdict } from '../../../src/core/verify/verdict.ts';
import type { PoolCgroups, SandboxCgroup, SandboxUsage } from './cgroups.ts';
import { judgeMessage, type JudgeJob, type StdioRun } from './judge-messages.ts';
import { judgeArgs } from './judge-py.ts';
import { launchCommand, PYTHON, SECCOMP_FD, type SandboxFeatures } from './sandbox-command.ts';

export interface SandboxLimits {
  /** Wall clock for the completion (from the judge's ready message; per test for stdio), after which the sandbox is killed. */
  timeoutMs: number;
  cpuSeconds: number;
  /** The sandbox as a whole where a cgroup bounds it; always also each process's address space and each tmpfs. */
  memoryMb: number;
  processes: number;
  fileSizeMb: number;
  /** Bytes of stdout kept per stdio test; a program printing more is killed. */
  outputBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutMs: 10_000, cpuSeconds: 10, memoryMb: 1024, processes: 32, fileSizeMb: 16, outputBytes: 1 << 20 };

export type Isolation = 'bwrap' | 'none';

/** The sandbox could not be set up or started: no completion ran, so there is no verdict. */
export class SandboxSetupError extends Error {}
/** The run was stopped because this process is exiting (SIGINT, SIGTERM). */
export class SandboxAbortedError extends Error {}

export interface SandboxRun {
  isolation: Isolation;
  /** Required for 'bwrap'. */
  features: SandboxFeatures | null;
  limits: SandboxLimits;
  cgroups: PoolCgroups | null;
  /** The interpreter, a path under /usr for 'bwrap'. */
  python?: string;
  /** Registers a synchronous abort for this run (used when the process exits); returns the unregister. */
  track?: (abort: () => void) => () => void;
  /** Receives the sandbox's teardown when it outlives the verdict; without it, nobody waits for it. */
  background?: (teardown: Promise<void>) => void;
}

export interface SandboxResult {
  verdict: Verdict;
  /** stdio mode: what each test printed, in order, up to the first failure. */
  runs: StdioRun[];
  usage: SandboxUsage | null;
}

/** Generous, and apart from the completion's time limit: a loaded machine must not turn into wrong answers. */
const STARTUP_TIMEOUT_MS = 30_000;
const DIAGNOSTIC_BYTES = 1 << 16;

interface Raw {
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

/**
 * Runs one completion under the judge in a fresh sandbox and returns the judge's verdict.
 * Rejects with SandboxSetupError when the sandbox fails before the judge is ready (nothing
 * of the completion has run then); anything after that is the completion's doing and
 * resolves to a wrong answer.
 */
export async function runSandboxed(program: Program, run: SandboxRun): Promise<SandboxResult> {
  const { limits } = run;
  const nonce = randomBytes(16).toString('hex');
  const isolated = run.isolation === 'bwrap';
  if (isolated && !run.features) throw new SandboxSetupError('bubblewrap is not available');
  const job: JudgeJob = program.mode === 'call'
    ? { nonce, isolated, candidate: program.candidate, trusted: program.trusted, test: program.test, remote: program.remote, discover: program.discover }
    : { nonce, isolated, source: program.source, inputs: program.tests.map((t) => t.input), timeoutMs: limits.timeoutMs, outputBytes: limits.outputBytes };
  const memoryBytes = limits.memoryMb * 2 ** 20;
  const python = run.python ?? PYTHON;
  const preload = program.mode === 'call' && /\btyping\b/.test(program.trusted + program.candidate) ? ['typing'] : [];
  const inner = [python, ...judgeArgs(python), program.mode, ...[limits.cpuSeconds, memoryBytes, limits.processes, limits.fileSizeMb * 2 ** 20].map(String), ...preload];

  let cgroup: SandboxCgroup | null = null;
  let dir: string | null = null;
  const release = () => {
    cgroup?.finishSync();
    cgroup = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  };
  try {
    cgroup = run.cgroups?.create({ memoryBytes, processes: limits.processes }) ?? null;
    if (!isolated) dir = mkdtempSync(join(tmpdir(), 'passk-code-'));
  } catch (error) {
    release();
    throw new SandboxSetupError(`cannot prepare the sandbox: ${(error as Error).message}`);
  }
  const [command, args] = launchCommand(isolated ? run.features : null, memoryBytes, cgroup?.procsFiles ?? [], inner);
  // Nothing of this process's environment reaches the sandbox, bwrap's own init included.
  const env: Record<string, string> = dir ? { PATH: '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', TMPDIR: dir } : {};
  const expected = program.mode === 'stdio' ? program.tests.map((t) => t.output) : [];
  const control = { aborted: false, kill: () => {} };
  const untrack = run.track?.(() => {
    control.aborted = true;
    control.kill();
    release();
  });
  const { decided, closed } = execute(command, args, { job, env, cwd: dir ?? undefined, seccomp: isolated ? run.features!.seccomp : null, limits, cgroup, control, enough: (runs) => {
    const last = runs.at(-1);
    return runs.length === expected.length || (last !== undefined && runFailure(last, expected[last.index], limits) !== null);
  } });
  // The verdict is final once the judge has given it and the sandbox is killed; waiting for
  // its processes to be reaped and removing its cgroup continue after this returns.
  const teardown = closed.then(async () => {
    if (cgroup) await cgroup.finish();
  }).finally(() => {
    untrack?.();
    release();
  });
  let raw: Raw;
  try {
    raw = await decided;
  } catch (error) {
    await teardown;
    throw error;
  }
  const usage = cgroup ? (cgroup as SandboxCgroup).usage() : null;
  if (!raw.ready || control.aborted) await teardown;
  else run.background?.(teardown);
  if (control.aborted) throw new SandboxAbortedError('verification stopped: this process is exiting');
  if (!raw.ready) {
    if (raw.startupTimedOut) throw new SandboxSetupError(`the sandbox did not start within ${STARTUP_TIMEOUT_MS / 1000} s`);
    const status = raw.signal ? `killed by ${raw.signal}` : `exit status ${raw.exitCode}`;
    throw new SandboxSetupError(`the sandbox failed to start (${status}): ${raw.stderr.trim().slice(-600) || 'no message'}`);
  }
  return { verdict: decide(program, raw, usage, limits, expected), runs: raw.runs, usage };
}

function decide(program: Program, raw: Raw, usage: SandboxUsage | null, limits: SandboxLimits, expected: string[]): Verdict {
  const memory = usage && usage.oomKills > 0 ? ` (the sandbox reached its memory limit, ${limits.memoryMb} MB)` : '';
  const wrong = (reason: string, extracted: string | null = reason): Verdict => ({ correct: false, extracted: extracted?.slice(0, 300) ?? null, reason: (reason + memory).slice(0, 600) });
  if (raw.tampered) return wrong(raw.tampered);
  if (program.mode === 'call') {
    if (raw.verdict) return raw.verdict.passed ? { correct: true, extracted: 'passed', reason: raw.verdict.reason } : wrong(raw.verdict.reason);
    if (raw.timedOut) return wrong(`timeout after ${limits.timeoutMs / 1000} s`);
    return wrong(`the sandbox ended without a verdict (${raw.signal ? `killed by ${raw.signal}` : `exit status ${raw.exitCode}`})`);
  }
  const label = (i: number) => (expected.length > 1 ? `test ${i + 1}/${expected.length}: ` : '');
  for (const r of raw.runs) {
    const failure = runFailure(r, expected[r.index], limits);
    if (failure) return wrong(label(r.index) + failure, lastLine(r.stderrTail) || lastLine(r.stdout) || null);
  }
  if (raw.runs.length === expected.length) return { correct: true, extracted: 'passed', reason: expected.length > 1 ? `passed all ${expected.length} tests` : 'passed the tests' };
  const next = label(raw.runs.length);
  return wrong(next + (raw.timedOut ? `timeout after ${limits.timeoutMs / 1000} s` : 'the sandbox ended before the test ran'));
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

interface ExecuteOptions {
  job: JudgeJob;
  env: Record<string, string>;
  cwd: string | undefined;
  seccomp: Buffer | null;
  limits: SandboxLimits;
  cgroup: SandboxCgroup | null;
  /** execute sets kill; whoever aborts the run calls it. */
  control: { kill: () => void };
  /** stdio: whether the runs so far decide the verdict (a failure, or all tests done). */
  enough: (runs: StdioRun[]) => boolean;
}

/** `decided` settles as soon as the verdict is known (the sandbox then killed), `closed` once the sandbox is gone. */
function execute(command: string, args: string[], o: ExecuteOptions): { decided: Promise<Raw>; closed: Promise<Raw> } {
  let decide: (raw: Raw) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const decided = new Promise<Raw>((resolve, reject) => {
    decide = resolve;
    fail = reject;
  });
  const closed = new Promise<Raw>((resolve) => {
    const stdio: ('pipe' | 'ignore')[] = ['pipe', 'ignore', 'pipe', 'pipe'];
    if (o.seccomp) stdio[SECCOMP_FD] = 'pipe';
    // Its own process group, so one kill reaches bwrap and through it the whole sandbox.
    const child = spawn(command, args, { stdio, detached: true, cwd: o.cwd, env: o.env });
    const raw: Raw = { ready: false, verdict: null, runs: [], tampered: null, timedOut: false, startupTimedOut: false, exitCode: null, signal: null, stderr: '' };
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      o.cgroup?.killAll();
    };
    o.control.kill = kill;
    let timer = setTimeout(() => { raw.startupTimedOut = true; kill(); }, STARTUP_TIMEOUT_MS);
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => { raw.timedOut = true; kill(); }, ms);
    };

    let pending = '';
    const onMessage = (line: string) => {
      let parsed: ReturnType<typeof judgeMessage.safeParse>;
      try {
        parsed = judgeMessage.safeParse(JSON.parse(line));
      } catch {
        parsed = judgeMessage.safeParse(null);
      }
      if (!parsed.success || parsed.data.nonce !== o.job.nonce) {
        raw.tampered = 'the verdict channel carried a message that is not from the judge';
        return kill();
      }
      const m = parsed.data;
      if (m.type === 'ready') {
        raw.ready = true;
        arm(o.limits.timeoutMs + ('inputs' in o.job ? 2000 : 0));
      } else if (m.type === 'verdict') {
        raw.verdict = { passed: m.passed, reason: m.reason };
        kill();
        decide({ ...raw });
      } else {
        raw.runs.push(m);
        // The judge times each test itself; this only catches a judge that stops reporting.
        arm(o.limits.timeoutMs + 2000);
        if (o.enough(raw.runs)) {
          kill();
          decide({ ...raw, runs: [...raw.runs] });
        }
      }
    };
    (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0 && !raw.tampered) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        onMessage(line);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      raw.stderr = (raw.stderr + chunk.toString('utf8')).slice(-DIAGNOSTIC_BYTES);
    });
    if (o.seccomp) {
      const seccompPipe = child.stdio[SECCOMP_FD] as Writable;
      seccompPipe.on('error', () => {}); // bwrap gone before reading it: the exit status says why
      seccompPipe.end(o.seccomp);
    }
    child.stdin!.on('error', () => {}); // a sandbox that died before reading its job
    child.stdin!.end(JSON.stringify(o.job));
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(new SandboxSetupError(`cannot start ${command}: ${error.message}`));
      resolve(raw);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      kill();
      Object.assign(raw, { exitCode, signal });
      decide(raw);
      resolve(raw);
    });
  });
  return { decided, closed };
}
