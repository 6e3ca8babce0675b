import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { seccompFilter } from './seccomp.ts';

export const PYTHON = '/usr/bin/python3';

/** What this machine's bubblewrap can do, found once. */
export interface SandboxFeatures {
  bwrap: string;
  /** Set when running as root: bwrap is then started as uid 65534 (see launchCommand). */
  setpriv: string | null;
  disableUserns: boolean;
  tmpfsSize: boolean;
  seccomp: Buffer | null;
}

function findExecutable(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // next
    }
  }
  return null;
}

let features: SandboxFeatures | null | undefined;

/** null when bubblewrap (or, for root, setpriv) is missing. */
export function sandboxFeatures(): SandboxFeatures | null {
  if (features !== undefined) return features;
  const bwrap = findExecutable('bwrap');
  const root = process.getuid?.() === 0;
  const setpriv = root ? findExecutable('setpriv') : null;
  if (!bwrap || (root && !setpriv)) return (features = null);
  const help = spawnSync(bwrap, ['--help'], { encoding: 'utf8' }).stdout ?? '';
  // A setuid bwrap (some distributions) refuses --disable-userns.
  const setuid = (statSync(bwrap).mode & 0o4000) !== 0;
  features = { bwrap, setpriv, disableUserns: help.includes('--disable-userns') && !setuid, tmpfsSize: help.includes('--size'), seccomp: seccompFilter() };
  return features;
}

/** The descriptor bwrap reads the seccomp filter from; 3 carries the judge's verdicts. */
export const SECCOMP_FD = 4;

/**
 * bubblewrap: every namespace unshared (no network, own pids, own ipc/uts/cgroup), no new
 * user namespaces inside (where bwrap can refuse them), the host's /usr read-only and
 * nothing else of it (no /home, /root, /etc, project folder), a read-only root, /tmp and
 * /dev/shm as tmpfs of at most `tmpfsBytes` each, uid/gid 65534, an environment of exactly
 * PATH, HOME and LANG, and the seccomp filter. The sandbox's init dies with bwrap, and bwrap
 * with its parent, so killing bwrap (or Node) ends everything.
 */
export function bwrapArgs(f: SandboxFeatures, tmpfsBytes: number): string[] {
  const links = ['lib', 'lib64', 'bin', 'sbin'].filter((d) => existsSync(`/usr/${d}`)).flatMap((d) => ['--symlink', `usr/${d}`, `/${d}`]);
  const size = f.tmpfsSize ? ['--size', String(tmpfsBytes)] : [];
  return [
    '--unshare-all', '--unshare-user', ...(f.disableUserns ? ['--disable-userns'] : []),
    '--die-with-parent', '--new-session', '--uid', '65534', '--gid', '65534',
    '--ro-bind', '/usr', '/usr', ...links, '--proc', '/proc', '--dev', '/dev',
    ...size, '--tmpfs', '/tmp', ...size, '--tmpfs', '/dev/shm', '--remount-ro', '/',
    '--chdir', '/tmp', '--clearenv', '--setenv', 'PATH', '/usr/bin:/bin', '--setenv', 'HOME', '/tmp', '--setenv', 'LANG', 'C.UTF-8',
    ...(f.seccomp ? ['--seccomp', String(SECCOMP_FD)] : []),
  ];
}

// Moves itself into each cgroup (writing 0 to cgroup.procs moves the writer), then execs
// the sandbox, so every process of the sandbox starts inside the cgroups.
const JOIN_CGROUPS = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo 0 > "$1" || { echo "passk: cannot enter cgroup $1" >&2; exit 125; }; shift; n=$((n - 1)); done; exec "$@"';

/**
 * The command that starts `inner` in the sandbox. Run by root, bwrap would map the sandbox's
 * uid to root, and the kernel never applies RLIMIT_NPROC to root's processes: a fork bomb
 * would then fill the host's process table. So root starts bwrap as uid/gid 65534.
 */
export function launchCommand(f: SandboxFeatures | null, tmpfsBytes: number, cgroupProcs: string[], inner: string[]): [string, string[]] {
  let argv = inner;
  if (f) {
    argv = [f.bwrap, ...bwrapArgs(f, tmpfsBytes), ...inner];
    if (f.setpriv) argv = [f.setpriv, '--reuid=65534', '--regid=65534', '--clear-groups', ...argv];
  }
  if (cgroupProcs.length > 0) argv = ['/bin/sh', '-c', JOIN_CGROUPS, 'sh', String(cgroupProcs.length), ...cgroupProcs, ...argv];
  return [argv[0], argv.slice(1)];
}

/**
 * Whether bubblewrap can start this sandbox here (installed, user namespaces allowed, Python
 * present). Without the seccomp filter, which spawnSync cannot hand over on descriptor 4; a
 * bwrap that refuses the filter fails every run with an error that says so.
 */
export function bwrapWorks(): boolean {
  const f = sandboxFeatures();
  if (!f) return false;
  const [command, args] = launchCommand({ ...f, seccomp: null }, 1 << 20, [], [PYTHON, '-I', '-c', 'pass']);
  return spawnSync(command, args, { stdio: 'ignore', env: {} }).status === 0;
}
