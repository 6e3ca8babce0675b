import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMountinfo, parseProcCgroup, planCgroups } from './cgroups.ts';

// A made-up machine under a temporary root: /proc/self/{mountinfo,cgroup} and cgroup folders.
// (Whether a folder is writable cannot be varied here when the tests run as root.)
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function machine(mountinfo: string[], cgroup: string[], folders: Record<string, Record<string, string>>): string {
  root = mkdtempSync(join(tmpdir(), 'passk-cgroups-'));
  mkdirSync(join(root, 'proc/self'), { recursive: true });
  writeFileSync(join(root, 'proc/self/mountinfo'), mountinfo.join('\n') + '\n');
  writeFileSync(join(root, 'proc/self/cgroup'), cgroup.join('\n') + '\n');
  for (const [dir, files] of Object.entries(folders)) {
    mkdirSync(join(root, dir), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, dir, name), text);
  }
  return root;
}

const procs = { 'cgroup.procs': '' };

describe('planCgroups', () => {
  it('uses cgroup v1 memory and pids where this process sits (root on these machines)', () => {
    const r = machine(
      [
        '30 25 0:26 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
        '31 25 0:27 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
        '32 25 0:28 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
      ],
      ['8:pids:/', '4:memory:/process_api/abc', '0::/'],
      { 'sys/fs/cgroup/memory/process_api/abc': procs, 'sys/fs/cgroup/pids': procs, 'sys/fs/cgroup/unified': { 'cgroup.controllers': 'hugetlb\n' } },
    );
    expect(planCgroups(r)).toEqual({
      hierarchies: [
        { version: 1, base: join(r, 'sys/fs/cgroup/memory/process_api/abc'), controllers: ['memory'] },
        { version: 1, base: join(r, 'sys/fs/cgroup/pids'), controllers: ['pids'] },
      ],
      missing: {},
    });
  });

  it('on cgroup v2 picks the nearest ancestor that hands memory and pids down (systemd user delegation), never its own cgroup', () => {
    const user = 'sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service';
    const r = machine(
      ['25 20 0:24 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate'],
      ['0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-term.scope'],
      {
        'sys/fs/cgroup': { 'cgroup.controllers': 'cpu io memory pids\n', 'cgroup.subtree_control': 'cpu io memory pids\n', ...procs },
        [user]: { 'cgroup.subtree_control': 'cpu memory pids\n', ...procs },
        [`${user}/app.slice`]: { 'cgroup.subtree_control': 'cpu\n', ...procs },
        [`${user}/app.slice/app-term.scope`]: { 'cgroup.subtree_control': 'memory pids\n', ...procs },
      },
    );
    expect(planCgroups(r)).toEqual({ hierarchies: [{ version: 2, base: join(r, user), controllers: ['memory', 'pids'] }], missing: {} });
  });

  it('on cgroup v2 in a container sees its cgroup through the mount root, and may use the namespace root itself', () => {
    const r = machine(
      ['25 20 0:24 /docker/c0ffee /sys/fs/cgroup rw - cgroup2 cgroup2 rw'],
      ['0::/docker/c0ffee'],
      { 'sys/fs/cgroup': { 'cgroup.controllers': 'memory pids\n', 'cgroup.subtree_control': 'memory pids\n', ...procs } },
    );
    expect(planCgroups(r).hierarchies).toEqual([{ version: 2, base: join(r, 'sys/fs/cgroup'), controllers: ['memory', 'pids'] }]);
  });

  it('says what is missing when no hierarchy has a controller', () => {
    const r = machine(['25 20 0:24 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw'], ['0::/'], { 'sys/fs/cgroup': { 'cgroup.controllers': 'cpu io\n', ...procs } });
    expect(planCgroups(r)).toEqual({
      hierarchies: [],
      missing: { memory: 'no cgroup hierarchy has the memory controller', pids: 'no cgroup hierarchy has the pids controller' },
    });
  });

  it('reads mountinfo escapes and cgroup paths with colons', () => {
    expect(parseMountinfo('1 0 0:1 / /a\\040b rw - cgroup2 none rw')[0]).toEqual({ root: '/', point: '/a b', type: 'cgroup2', options: ['rw'] });
    expect(parseProcCgroup('0::/x:y\n4:memory,foo:/')).toEqual([{ id: '0', controllers: [], path: '/x:y' }, { id: '4', controllers: ['memory', 'foo'], path: '/' }]);
  });
});
