import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Program } from '../../../src/core/verify/code/code-task.ts';
import type { Verdict } from '../../../src/core/verify/verdict.ts';
import type { PoolCgroups, SandboxCgroup, SandboxUsage } from './cgroups.ts';
import { judgeMessage, type JudgeJob, type StdioRun } from './judge-messages.ts';
import { judgeStart } from './judge-py.ts';
import { decideVerdict, stdioDecided, type RunRecord } from './run-verdict.ts';
import { launchCommand, PYTHON, SECCOMP_FD, type SandboxFeatures } from './sandbox-command.ts';
import { SandboxAbortedError, SandboxSetupError, type Isolation, type SandboxLimits } from './sandbox-limits.ts';

export interface SandboxOptions {
  isolation: Isolation;
  /** Required for 'bwrap'. */
  features: SandboxFeatures | null;
  limits: SandboxLimits;
  cgroups: PoolCgroups | null;
  /** The interpreter, a path under /usr for 'bwrap'. */
  python?: string;
  /** Registers a synchronous abort (for when this process exits); returns the unregister. */
  track?: (abort: () => void) => () => void;
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

/**
 * One sandbox, which may be started before its task is known: bwrap up, the judge waiting
 * for its job on stdin, the completion's process already forked (so it never held a job).
 * It judges one program. A failure before the judge says it is ready (nothing of the
 * completion has run then) rejects with SandboxSetupError; anything after it is the
 * completion's doing and resolves to a wrong answer.
 */
export class Sandbox {
  /** Settles once the sandbox's processes are gone and its cgroup and directory removed. */
  readonly teardown: Promise<void>;
  private readonly child: ChildProcess;
  private readonly record: RunRecord = { ready: false, verdict: null, runs: [], tampered: null, timedOut: false, startupTimedOut: false, exitCode: null, signal: null, stderr: '' };
  private job: JudgeJob | null = null;
  private program: Program | null = null;
  private timer: NodeJS.Timeout | undefined;
  private exited = false;
  private aborted = false;
  private decide: (record: RunRecord) => void = () => {};
  private pending = '';

  static start(o: SandboxOptions): Sandbox {
    if (o.isolation === 'bwrap' && !o.features) throw new SandboxSetupError('bubblewrap is not available');
    let cgroup: SandboxCgroup | null = null;
    let dir: string | null = null;
    try {
      cgroup = o.cgroups?.create({ memoryBytes: o.limits.memoryMb * 2 ** 20, processes: o.limits.processes }) ?? null;
      if (o.isolation === 'none') dir = mkdtempSync(join(tmpdir(), 'passk-code-'));
    } catch (error) {
      cgroup?.finishSync();
      throw new SandboxSetupError(`cannot prepare the sandbox: ${(error as Error).message}`);
    }
    return new Sandbox(o, cgroup, dir);
  }

  /** Kept after release: it answers usage() from what it read last. */
  private readonly cgroupOfRun: SandboxCgroup | null;

  private constructor(private readonly o: SandboxOptions, private cgroup: SandboxCgroup | null, private dir: string | null) {
    this.cgroupOfRun = cgroup;
    const { limits } = o;
    const memoryBytes = limits.memoryMb * 2 ** 20;
    const python = o.python ?? PYTHON;
    const judge = judgeStart(python);
    const inner = [python, ...judge.args, ...[limits.cpuSeconds, memoryBytes, limits.processes, limits.fileSizeMb * 2 ** 20].map(String)];
    const features = o.isolation === 'bwrap' ? o.features : null;
    const [command, args] = launchCommand(features, memoryBytes, cgroup?.procsFiles ?? [], inner);
    const stdio: ('pipe' | 'ignore')[] = ['pipe', 'ignore', 'pipe', 'pipe'];
    if (features?.seccomp) stdio[SECCOMP_FD] = 'pipe';
    // Its own process group, so one kill reaches bwrap and through it the whole sandbox.
    // Nothing of this process's environment reaches the sandbox, bwrap's own init included.
    this.child = spawn(command, args, {
      stdio,
      detached: true,
      cwd: dir ?? undefined,
      env: dir ? { PATH: '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', TMPDIR: dir } : {},
    });
    const untrack = o.track?.(() => {
      this.aborted = true;
      this.kill();
      this.release();
    });
    if (features?.seccomp) {
      const seccompPipe = this.child.stdio[SECCOMP_FD] as Writable;
      seccompPipe.on('error', () => {}); // bwrap gone before reading it: its exit says why
      seccompPipe.end(features.seccomp);
    }
    this.child.stdin!.on('error', () => {}); // a sandbox that died before reading its job
    if (judge.code) this.child.stdin!.write(judge.code);
    (this.child.stdio[3] as Readable).on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.record.stderr = (this.record.stderr + chunk.toString('utf8')).slice(-DIAGNOSTIC_BYTES);
    });
    const closed = new Promise<void>((resolve) => {
      const end = (exitCode: number | null, signal: string | null) => {
        if (this.exited) return;
        this.exited = true;
        clearTimeout(this.timer);
        this.kill();
        Object.assign(this.record, { exitCode, signal });
        this.decide(this.record);
        resolve();
      };
      this.child.on('error', (error) => {
        this.record.stderr += `cannot start ${command}: ${error.message}`;
        end(null, null);
      });
      this.child.on('close', end);
    });
    this.teardown = closed
      .then(async () => {
        await this.cgroup?.finish();
      })
      .catch(() => {}) // what finish could not remove, release() retries below
      .finally(() => {
        untrack?.();
        this.release();
      });
  }

  /** Started, not used, and still running. */
  get fresh(): boolean {
    return this.job === null && !this.exited;
  }

  /** Ends the sandbox (unused, or at close); `teardown` says when it is gone. */
  discard(): void {
    this.kill();
  }

  async judge(program: Program): Promise<SandboxResult> {
    if (this.job) throw new Error('a sandbox judges one program');
    const { limits } = this.o;
    const nonce = randomBytes(16).toString('hex');
    const isolated = this.o.isolation === 'bwrap';
    this.program = program;
    this.job = program.mode === 'call'
      ? { mode: 'call', nonce, isolated, candidate: program.candidate, trusted: program.trusted, test: program.test, remote: program.remote, discover: program.discover, entryPoints: program.entryPoints }
      : { mode: 'stdio', nonce, isolated, source: program.source, inputs: program.tests.map((t) => t.input), timeoutMs: limits.timeoutMs, outputBytes: limits.outputBytes };
    const decided = new Promise<RunRecord>((resolve) => {
      this.decide = resolve;
    });
    if (this.exited) this.decide(this.record);
    else this.arm(STARTUP_TIMEOUT_MS, 'startupTimedOut');
    this.child.stdin!.end(JSON.stringify(this.job));
    const record = await decided;
    // Read now: the counters are final once the sandbox is killed, and its cgroup goes soon.
    const usage = this.cgroupOfRun?.usage() ?? null;
    if (!record.ready || this.aborted) await this.teardown;
    if (this.aborted) throw new SandboxAbortedError('verification stopped: this process is exiting');
    if (!record.ready) {
      if (record.startupTimedOut) throw new SandboxSetupError(`the sandbox did not start within ${STARTUP_TIMEOUT_MS / 1000} s`);
      const status = record.signal ? `killed by ${record.signal}` : `exit status ${record.exitCode}`;
      throw new SandboxSetupError(`the sandbox failed to start (${status}): ${record.stderr.trim().slice(-600) || 'no message'}`);
    }
    return { verdict: decideVerdict(program, record, usage, limits), runs: record.runs, usage };
  }

  private arm(ms: number, flag: 'timedOut' | 'startupTimedOut'): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.record[flag] = true;
      this.kill();
    }, ms);
  }

  /** The verdict is final once the judge has given it and the sandbox is killed; the teardown goes on. */
  private settle(): void {
    clearTimeout(this.timer);
    this.kill();
    this.decide({ ...this.record, runs: [...this.record.runs] });
  }

  private onData(chunk: Buffer): void {
    this.pending += chunk.toString('utf8');
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0 && !this.record.tampered) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      this.onMessage(line);
    }
  }

  private onMessage(line: string): void {
    let parsed: ReturnType<typeof judgeMessage.safeParse>;
    try {
      parsed = judgeMessage.safeParse(JSON.parse(line));
    } catch {
      parsed = judgeMessage.safeParse(null);
    }
    if (!parsed.success || !this.job || parsed.data.nonce !== this.job.nonce || !this.program) {
      this.record.tampered = 'the verdict channel carried a message that is not from the judge';
      return this.settle();
    }
    const m = parsed.data;
    const { limits } = this.o;
    if (m.type === 'ready') {
      this.record.ready = true;
      this.arm(limits.timeoutMs + (this.program.mode === 'stdio' ? 2000 : 0), 'timedOut');
    } else if (m.type === 'verdict') {
      this.record.verdict = { passed: m.passed, reason: m.reason };
      this.settle();
    } else {
      this.record.runs.push(m);
      // The judge times each test itself; this only catches a judge that stops reporting.
      this.arm(limits.timeoutMs + 2000, 'timedOut');
      if (this.program.mode === 'stdio' && stdioDecided(this.program, this.record.runs, limits)) this.settle();
    }
  }

  private kill(): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.cgroup?.killAll();
  }

  private release(): void {
    this.cgroup?.finishSync();
    this.cgroup = null;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
