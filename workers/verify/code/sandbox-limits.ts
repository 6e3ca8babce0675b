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
