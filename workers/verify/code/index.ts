import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { buildProgram, type CodeTask } from '../../../src/core/verify/code/code-task.ts';
import type { Verdict } from '../../../src/core/verify/verdict.ts';
import { planCgroups, PoolCgroups, type Controller } from './cgroups.ts';
import { undoOnExit } from './exit-cleanup.ts';
import { Sandbox, type SandboxResult } from './sandbox.ts';
import { bwrapWorks, sandboxFeatures } from './sandbox-command.ts';
import { DEFAULT_LIMITS, type Isolation, type SandboxLimits } from './sandbox-limits.ts';

export interface CodePoolOptions {
  /** 'none' runs model-written code as the current user: only on explicit request (--unsafe-no-sandbox). */
  sandbox: Isolation;
  concurrency?: number;
  /** Per completion (per test for stdio tasks), from the moment the judge is ready. */
  timeoutMs?: number;
  /** Per sandbox: all its processes and its /tmp and /dev/shm together, where a cgroup allows. */
  memoryMb?: number;
  /** Per sandbox, the judge and the sandbox's init included. */
  processes?: number;
  /** The Python inside the sandbox (under /usr). */
  python?: string;
  /** Where to say what this machine leaves unbounded; standard error by default. */
  warn?: (message: string) => void;
}

/** What holds each sandbox in, on this machine. */
export interface SandboxBounds {
  /** cgroup: the sandbox's total; per-process: each process's address space and each tmpfs only. */
  memory: 'cgroup' | 'per-process';
  /** cgroup: the sandbox's total; rlimit: RLIMIT_NPROC (see README). */
  processes: 'cgroup' | 'rlimit';
  noNewUserNamespaces: boolean;
  seccomp: boolean;
  /** One line per thing that is not bounded as it should be; empty when everything is. */
  warnings: string[];
}

export interface CodePool {
  verify(task: CodeTask, completion: string): Promise<Verdict>;
  /** As verify, with what each stdio test printed and the sandbox's memory use. */
  run(task: CodeTask, completion: string): Promise<SandboxResult>;
  readonly bounds: SandboxBounds;
  close(): Promise<void>;
}

export { bwrapWorks };
export { SandboxAbortedError, SandboxSetupError } from './sandbox-limits.ts';

export class SandboxUnavailableError extends Error {}

/**
 * A bounded pool: at most `concurrency` completions run at once (each in its own sandbox,
 * with up to one more sandbox per slot started ahead and idle); the rest wait in order. A
 * sandbox that cannot be set up rejects (SandboxSetupError), never resolves to a wrong answer.
 */
export function createCodePool(options: CodePoolOptions): CodePool {
  const features = options.sandbox === 'bwrap' ? sandboxFeatures() : null;
  if (options.sandbox === 'bwrap' && (!features || !bwrapWorks())) {
    throw new SandboxUnavailableError(
      'bubblewrap (bwrap) is missing or cannot create namespaces here, so model-written code will not be run. '
      + 'Install it (Debian: apt-get install bubblewrap), or pass --unsafe-no-sandbox to run the code unconfined as your user.',
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  const limits: SandboxLimits = {
    ...DEFAULT_LIMITS,
    timeoutMs,
    cpuSeconds: Math.ceil(timeoutMs / 1000),
    memoryMb: options.memoryMb ?? DEFAULT_LIMITS.memoryMb,
    processes: options.processes ?? DEFAULT_LIMITS.processes,
  };

  const plan = planCgroups();
  let cgroups: PoolCgroups | null = null;
  const missing: Partial<Record<Controller, string>> = { ...plan.missing };
  if (plan.hierarchies.length > 0) {
    try {
      cgroups = new PoolCgroups(plan, `passk-${process.pid}-${randomBytes(3).toString('hex')}`);
    } catch (error) {
      for (const h of plan.hierarchies) for (const c of h.controllers) missing[c] = `cannot create a cgroup under ${h.base}: ${(error as Error).message}`;
    }
  }
  const bounds = describeBounds(options.sandbox, features, missing, limits);
  const warn = options.warn ?? ((message: string) => process.stderr.write(`passk: ${message}\n`));
  for (const w of bounds.warnings) warn(w);

  const slots = Math.max(1, options.concurrency ?? availableParallelism());
  // Sandboxes alive, so that SIGINT/SIGTERM/exit can end them and remove their cgroups and
  // temporary directories before this process goes.
  const live = new Set<() => void>();
  const undo = undoOnExit(() => {
    for (const abort of [...live]) abort();
    cgroups?.remove();
  });
  const track = (abort: () => void) => {
    live.add(abort);
    return () => live.delete(abort);
  };
  const teardowns = new Set<Promise<void>>();
  let closed = false;
  const start = () => {
    const sandbox = Sandbox.start({ isolation: options.sandbox, features, limits, cgroups, python: options.python, track });
    teardowns.add(sandbox.teardown);
    void sandbox.teardown.catch(() => {}).finally(() => teardowns.delete(sandbox.teardown));
    return sandbox;
  };
  // Sandboxes started ahead of their task (at most one per slot): starting one (bwrap,
  // Python, the judge, entering its cgroup) takes longer than most tests run, and this way
  // it overlaps the sandbox in use. A spare holds no task, so any task may take it.
  const spares: Sandbox[] = [];
  const take = (): Sandbox => {
    for (let spare = spares.pop(); spare; spare = spares.pop()) {
      if (spare.fresh) return spare;
      spare.discard();
    }
    return start();
  };
  const refill = () => {
    if (closed || spares.length >= slots) return;
    try {
      spares.push(start());
    } catch {
      // The next take() starts its own sandbox and reports why that fails.
    }
  };

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
  const run = async (task: CodeTask, completion: string) => {
    if (closed) throw new Error('this code pool is closed');
    const program = buildProgram(task, completion);
    await acquire();
    try {
      const sandbox = take();
      refill();
      // A slot is free once its sandbox is killed (on the verdict): a killed sandbox runs
      // nothing more, and its teardown finishes in the background.
      return await sandbox.judge(program);
    } finally {
      release();
    }
  };
  return {
    bounds,
    run,
    async verify(task, completion) {
      return (await run(task, completion)).verdict;
    },
    async close() {
      closed = true;
      for (const spare of spares.splice(0)) spare.discard();
      await Promise.allSettled([...teardowns]);
      undo();
      cgroups?.remove();
    },
  };
}

function describeBounds(isolation: Isolation, features: ReturnType<typeof sandboxFeatures>, missing: Partial<Record<Controller, string>>, limits: SandboxLimits): SandboxBounds {
  const warnings: string[] = [];
  if (isolation === 'none') warnings.push('--unsafe-no-sandbox: completions run as this user, with this user\'s files and network');
  if (missing.memory) {
    const tmpfs = features?.tmpfsSize ? `, /tmp and /dev/shm to ${limits.memoryMb} MB each` : ', /tmp and /dev/shm not at all (bubblewrap without --size)';
    warnings.push(`a sandbox's total memory is not bounded (${missing.memory}): each process is limited to ${limits.memoryMb} MB of address space${tmpfs}, `
      + `so one sandbox can take up to ${limits.processes} × ${limits.memoryMb} MB plus its tmpfs`);
  }
  if (missing.pids) warnings.push(`a sandbox's process count is bounded by RLIMIT_NPROC only (${missing.pids})`);
  if (features && !features.disableUserns) warnings.push('this bubblewrap cannot forbid new user namespaces inside the sandbox (needs bubblewrap ≥ 0.8, not installed setuid)');
  if (features && !features.seccomp) warnings.push(`no seccomp filter for this CPU (${process.arch}): ptrace and the other refused system calls stay available inside the sandbox`);
  return {
    memory: missing.memory ? 'per-process' : 'cgroup',
    processes: missing.pids ? 'rlimit' : 'cgroup',
    noNewUserNamespaces: features?.disableUserns ?? false,
    seccomp: features?.seccomp !== null && features !== null,
    warnings,
  };
}
