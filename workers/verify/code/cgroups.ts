/**
 * One cgroup per sandbox, so that the sandbox as a whole (every process, and the tmpfs pages
 * they write, which the kernel charges to the writer's memory cgroup) has one memory limit
 * and one process limit. Found, in order of preference for each of `memory` and `pids`:
 * a cgroup v1 hierarchy where this process's cgroup is writable (root), or the cgroup v2
 * hierarchy, under the nearest ancestor of this process's cgroup that this user may write
 * and that hands both controllers down (root; or a desktop user under systemd, whose
 * `user@UID.service` is delegated). Every path is read under `root`, so tests can point it
 * at a made-up tree.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Controller = 'memory' | 'pids';
const CONTROLLERS: Controller[] = ['memory', 'pids'];

export interface Hierarchy {
  version: 1 | 2;
  /** An existing cgroup directory under which this pool may create its own. */
  base: string;
  controllers: Controller[];
}

export interface CgroupPlan {
  hierarchies: Hierarchy[];
  /** Why a controller could not be used, for the warning. */
  missing: Partial<Record<Controller, string>>;
}

interface Mount { root: string; point: string; type: string; options: string[] }

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): Mount[] {
  return text.split('\n').filter(Boolean).flatMap((line) => {
    const [left, right] = line.split(' - ');
    if (right === undefined) return [];
    const f = left.split(' ');
    const [type, , superOptions = ''] = right.split(' ');
    return [{ root: unescape(f[3]), point: unescape(f[4]), type, options: superOptions.split(',') }];
  });
}

/** /proc/self/cgroup: `ID:CONTROLLERS:PATH`, with ID 0 and no controllers for cgroup v2. */
export function parseProcCgroup(text: string): { id: string; controllers: string[]; path: string }[] {
  return text.split('\n').filter(Boolean).map((line) => {
    const [id, controllers, ...rest] = line.split(':');
    return { id, controllers: controllers ? controllers.split(',') : [], path: rest.join(':') };
  });
}

const writable = (path: string) => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};
const readText = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** Where this process's cgroup `path` appears under `mount` (null if the mount does not show it). */
function directory(root: string, mount: Mount, path: string): string | null {
  const rel = mount.root === '/' ? path : path === mount.root || path.startsWith(mount.root + '/') ? path.slice(mount.root.length) : null;
  return rel === null ? null : join(root, mount.point, rel).replace(/(.)\/+$/, '$1');
}

export function planCgroups(root = '/'): CgroupPlan {
  const mounts = parseMountinfo(readText(join(root, 'proc/self/mountinfo')));
  const own = parseProcCgroup(readText(join(root, 'proc/self/cgroup')));
  const hierarchies: Hierarchy[] = [];
  const missing: CgroupPlan['missing'] = {};
  const v2Wanted: Controller[] = [];
  const v2Mount = mounts.find((m) => m.type === 'cgroup2');
  const v2Controllers = v2Mount ? readText(join(root, v2Mount.point, 'cgroup.controllers')).trim().split(/\s+/) : [];

  for (const controller of CONTROLLERS) {
    const mount = mounts.find((m) => m.type === 'cgroup' && m.options.includes(controller));
    if (mount) {
      const entry = own.find((c) => c.controllers.includes(controller));
      const dir = entry ? directory(root, mount, entry.path) : null;
      if (dir && writable(dir) && writable(join(dir, 'cgroup.procs'))) hierarchies.push({ version: 1, base: dir, controllers: [controller] });
      else missing[controller] = `cgroup v1 ${controller} hierarchy at ${mount.point} is not writable by this user`;
    } else if (v2Mount && v2Controllers.includes(controller)) {
      v2Wanted.push(controller);
    } else {
      missing[controller] = `no cgroup hierarchy has the ${controller} controller`;
    }
  }
  if (v2Mount && v2Wanted.length > 0) {
    const entry = own.find((c) => c.id === '0');
    const ownDir = entry ? directory(root, v2Mount, entry.path) : null;
    const base = ownDir === null ? null : delegatedAncestor(join(root, v2Mount.point), ownDir, v2Wanted);
    if (base) hierarchies.push({ version: 2, base, controllers: v2Wanted });
    else for (const c of v2Wanted) missing[c] = `no cgroup v2 ancestor of this process's cgroup is writable by this user with ${c} delegated (a desktop user needs systemd's user@UID.service delegation)`;
  }
  return { hierarchies, missing };
}

/**
 * The nearest ancestor of `ownDir` (or the hierarchy's root itself) that we may create
 * cgroups in, move our children into (its cgroup.procs: the common ancestor of where they
 * start and where they go), and that enables the controllers for its children. Our own
 * cgroup never qualifies unless it is the root: it holds processes, and cgroup v2 gives
 * controllers only to cgroups without processes of their own.
 */
function delegatedAncestor(mountDir: string, ownDir: string, controllers: Controller[]): string | null {
  let dir = ownDir === mountDir ? ownDir : join(ownDir, '..');
  for (;;) {
    const enabled = readText(join(dir, 'cgroup.subtree_control')).trim().split(/\s+/);
    if (writable(dir) && writable(join(dir, 'cgroup.procs')) && controllers.every((c) => enabled.includes(c))) return dir;
    if (dir === mountDir || !dir.startsWith(mountDir)) return null;
    dir = join(dir, '..');
  }
}

export interface SandboxUsage {
  /** Processes the kernel killed for the memory limit. */
  oomKills: number;
  /** Highest memory use of the sandbox, where the kernel reports it. */
  peakBytes: number | null;
}

export interface CgroupLimits { memoryBytes: number; processes: number }

/** This pool's cgroups: one directory per hierarchy, one child per running sandbox. */
export class PoolCgroups {
  private readonly dirs: { version: 1 | 2; dir: string; controllers: Controller[] }[];
  private next = 0;

  constructor(plan: CgroupPlan, tag: string) {
    this.dirs = [];
    try {
      for (const h of plan.hierarchies) {
        const dir = join(h.base, tag);
        mkdirSync(dir);
        this.dirs.push({ version: h.version, dir, controllers: h.controllers });
        if (h.version === 2) writeFileSync(join(dir, 'cgroup.subtree_control'), h.controllers.map((c) => `+${c}`).join(' '));
      }
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  /** Makes the cgroups of one sandbox; the caller's wrapper writes itself into each `procs` file. */
  create(limits: CgroupLimits): SandboxCgroup {
    const name = `s${this.next++}`;
    const made: { version: 1 | 2; dir: string }[] = [];
    try {
      for (const h of this.dirs) {
        const dir = join(h.dir, name);
        mkdirSync(dir);
        made.push({ version: h.version, dir });
        for (const [file, value] of limitFiles(h.version, h.controllers, limits)) {
          if (file.optional && !existsSync(join(dir, file.name))) continue;
          writeFileSync(join(dir, file.name), value);
        }
      }
    } catch (error) {
      for (const m of made) removeSync(m.dir);
      throw error;
    }
    return new SandboxCgroup(made);
  }

  /** Removes the pool's directories; the sandboxes in them must be gone. */
  remove(): void {
    for (const h of this.dirs) removeSync(h.dir);
  }
}

function limitFiles(version: 1 | 2, controllers: Controller[], l: CgroupLimits): [{ name: string; optional: boolean }, string][] {
  const files: [{ name: string; optional: boolean }, string][] = [];
  if (controllers.includes('memory')) {
    if (version === 1) {
      files.push([{ name: 'memory.limit_in_bytes', optional: false }, String(l.memoryBytes)]);
      // With swap accounting on, memory + swap gets the same limit: no escape into swap.
      files.push([{ name: 'memory.memsw.limit_in_bytes', optional: true }, String(l.memoryBytes)]);
    } else {
      files.push([{ name: 'memory.max', optional: false }, String(l.memoryBytes)]);
      files.push([{ name: 'memory.swap.max', optional: true }, '0']);
    }
  }
  if (controllers.includes('pids')) files.push([{ name: 'pids.max', optional: false }, String(l.processes)]);
  return files;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export class SandboxCgroup {
  /** Read just before the cgroups are removed, for a usage() that comes later. */
  private last: SandboxUsage | null = null;

  constructor(private readonly dirs: { version: 1 | 2; dir: string }[]) {}

  get procsFiles(): string[] {
    return this.dirs.map((d) => join(d.dir, 'cgroup.procs'));
  }

  private pids(): number[] {
    return this.dirs.flatMap((d) => readText(join(d.dir, 'cgroup.procs')).split('\n').filter(Boolean).map(Number));
  }

  /** SIGKILL to everything still in the sandbox's cgroups. */
  killAll(): void {
    for (const d of this.dirs) {
      if (d.version === 2 && existsSync(join(d.dir, 'cgroup.kill'))) {
        try {
          writeFileSync(join(d.dir, 'cgroup.kill'), '1');
          continue;
        } catch {
          // fall back to one signal per process
        }
      }
    }
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  usage(): SandboxUsage {
    if (this.last) return this.last;
    let oomKills = 0;
    let peakBytes: number | null = null;
    for (const d of this.dirs) {
      const counters = readText(join(d.dir, d.version === 1 ? 'memory.oom_control' : 'memory.events'));
      oomKills += Number(/^oom_kill (\d+)$/m.exec(counters)?.[1] ?? 0);
      const peak = readText(join(d.dir, d.version === 1 ? 'memory.max_usage_in_bytes' : 'memory.peak')).trim();
      if (peak !== '') peakBytes = Math.max(peakBytes ?? 0, Number(peak));
    }
    return { oomKills, peakBytes };
  }

  /** Kills what is left, waits until the cgroups are empty, reads the usage and removes them. */
  async finish(): Promise<SandboxUsage> {
    for (let i = 0; i < 2000 && this.pids().length > 0; i++) {
      this.killAll();
      await sleep(1);
    }
    this.last = this.usage();
    for (const d of this.dirs) {
      for (let i = 0; i < 1000 && !tryRemove(d.dir); i++) await sleep(1);
    }
    return this.last;
  }

  /** As finish, blocking; for a process that is about to exit on a signal. */
  finishSync(): void {
    for (let i = 0; i < 100 && this.pids().length > 0; i++) {
      this.killAll();
      sleepSync(10);
    }
    this.last ??= this.usage();
    for (const d of this.dirs) removeSync(d.dir);
  }
}

function tryRemove(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** rmdir, retried: a cgroup stays busy for a moment after its last process is killed. */
function removeSync(dir: string): void {
  for (let i = 0; i < 50 && !tryRemove(dir); i++) sleepSync(10);
}
