import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SandboxLimits {
  /** Wall clock, after which the whole sandbox is killed. */
  timeoutMs: number;
  cpuSeconds: number;
  memoryMb: number;
  processes: number;
  fileSizeMb: number;
  /** Bytes of stdout and of stderr kept; a program printing more is killed. */
  outputBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { timeoutMs: 10_000, cpuSeconds: 10, memoryMb: 1024, processes: 32, fileSizeMb: 16, outputBytes: 1 << 20 };

export type Isolation = 'bwrap' | 'none';

export interface RunOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  outputCapped: boolean;
  stdout: string;
  stderr: string;
}

export const PYTHON = '/usr/bin/python3';

/** Sets the resource limits inside the sandbox, then runs the program as __main__. */
const PRELUDE = `import resource, sys
def limit(which, value):
    resource.setrlimit(which, (value, value))
cpu, mem, nproc, fsize = (int(v) for v in sys.argv[1:5])
path = sys.argv[5]
limit(resource.RLIMIT_CPU, cpu)
limit(resource.RLIMIT_AS, mem)
limit(resource.RLIMIT_NPROC, nproc)
limit(resource.RLIMIT_FSIZE, fsize)
limit(resource.RLIMIT_CORE, 0)
sys.argv = ['program.py']
with open(path) as f:
    source = f.read()
exec(compile(source, 'program.py', 'exec'), {'__name__': '__main__', '__builtins__': __builtins__})
`;

/**
 * bubblewrap: every namespace unshared (no network, own pids, own ipc/uts), the host's /usr
 * read-only and nothing else of it (no /home, /root, /etc, project folder), a throwaway /tmp,
 * uid/gid 65534, and the sandbox's init dies with bwrap so killing bwrap ends everything.
 */
function sandboxArgs(): string[] {
  const links = ['lib', 'lib64', 'bin', 'sbin'].filter((d) => existsSync(`/usr/${d}`)).flatMap((d) => ['--symlink', `usr/${d}`, `/${d}`]);
  return [
    '--unshare-all', '--die-with-parent', '--new-session', '--uid', '65534', '--gid', '65534',
    '--ro-bind', '/usr', '/usr', ...links, '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
    '--chdir', '/tmp', '--clearenv', '--setenv', 'PATH', '/usr/bin:/bin', '--setenv', 'HOME', '/tmp',
  ];
}

/**
 * The command that starts bubblewrap. Run by root, bwrap maps the sandbox's uid to root, and
 * the kernel never applies RLIMIT_NPROC to root's processes: a fork bomb would then fill the
 * host's process table until the timeout. So root starts it as uid/gid 65534 (setpriv); the
 * process limit then holds, counted over every process of that user on the host.
 */
function bwrapCommand(args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bwrap', ...args]]
    : ['bwrap', args];
}

/** Whether bubblewrap can start this sandbox here (installed, user namespaces allowed, Python present). */
export function bwrapWorks(): boolean {
  const [command, args] = bwrapCommand([...sandboxArgs(), PYTHON, '-c', 'pass']);
  return spawnSync(command, args).status === 0;
}

/** Runs one Python program under the limits and returns what happened; never throws for the program's faults. */
export async function runSandboxed(source: string, stdin: string, isolation: Isolation, limits: SandboxLimits): Promise<RunOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'passk-code-'));
  try {
    chmodSync(dir, 0o755); // readable by the sandbox's uid 65534 (see bwrapCommand)
    writeFileSync(join(dir, 'program.py'), source, { mode: 0o644 });
    writeFileSync(join(dir, 'run.py'), PRELUDE, { mode: 0o644 });
    const limitArgs = [limits.cpuSeconds, limits.memoryMb * 2 ** 20, limits.processes, limits.fileSizeMb * 2 ** 20].map(String);
    const [command, args] = isolation === 'bwrap'
      ? bwrapCommand([...sandboxArgs(), '--ro-bind', dir, '/sandbox', PYTHON, '-I', '/sandbox/run.py', ...limitArgs, '/sandbox/program.py'])
      : [PYTHON, ['-I', join(dir, 'run.py'), ...limitArgs, join(dir, 'program.py')]];
    return await execute(command, args, stdin, limits, isolation === 'none' ? dir : undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function execute(command: string, args: string[], stdin: string, limits: SandboxLimits, cwd?: string): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills every process the program started.
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, cwd, env: cwd ? { PATH: '/usr/bin:/bin', HOME: cwd } : undefined });
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], bytes: { stdout: 0, stderr: 0 } };
    let timedOut = false;
    let outputCapped = false;
    const killAll = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => { timedOut = true; killAll(); }, limits.timeoutMs);
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (chunk: Buffer) => {
        const room = limits.outputBytes - out.bytes[name];
        if (room > 0) out[name].push(chunk.subarray(0, room));
        out.bytes[name] += chunk.length;
        if (out.bytes[name] > limits.outputBytes && !outputCapped) { outputCapped = true; killAll(); }
      });
    }
    child.stdin.on('error', () => {}); // a program that exits without reading its input
    child.stdin.end(stdin);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      killAll();
      resolve({
        exitCode, signal, timedOut, outputCapped,
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr: Buffer.concat(out.stderr).toString('utf8'),
      });
    });
  });
}
