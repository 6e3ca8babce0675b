import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CodeTask } from '../src/core/verify/code/code-task.ts';
import { planCgroups } from '../workers/verify/code/cgroups.ts';
import { bwrapWorks, createCodePool, SandboxSetupError, type CodePool } from '../workers/verify/code/index.ts';

const sandbox = bwrapWorks();
const plan = planCgroups();
const cgroups = plan.hierarchies.some((h) => h.controllers.includes('memory')) && plan.hierarchies.some((h) => h.controllers.includes('pids'));
if (!sandbox) console.warn('skipping sandbox limit tests: bubblewrap or /usr/bin/python3 is missing, or bwrap cannot create namespaces here (apt-get install bubblewrap python3)');
else if (!cgroups) console.warn(`skipping the memory-limit tests: no usable memory and pids cgroups here (${Object.values(plan.missing).join('; ')})`);

const script: CodeTask = { kind: 'stdio', tests: [{ input: '', output: 'never printed' }] };
const MB = 2 ** 20;
const LIMIT_MB = 256;
/**
 * The floor: while a program tries to take 3 GiB or more, the host's MemAvailable never falls
 * more than 1 GiB below what it was when the test started. The sandbox may take 256 MiB; the
 * rest of the margin is for whatever else this shared machine does meanwhile.
 */
const FLOOR_MARGIN = 1024 * MB;

const memAvailable = () => Number(/^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;

/** Runs `source` while sampling the host's MemAvailable every 10 ms; returns the run and the lowest sample. */
async function watched(pool: CodePool, source: string) {
  const before = memAvailable();
  let lowest = before;
  const sampler = setInterval(() => { lowest = Math.min(lowest, memAvailable()); }, 10);
  try {
    return { result: await pool.run(script, source), before, lowest };
  } finally {
    clearInterval(sampler);
  }
}

let pool: CodePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe.skipIf(!sandbox || !cgroups)('one sandbox has one memory limit', () => {
  it('stops a program writing 3 GB into /tmp and /dev/shm at the limit', async () => {
    pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, memoryMb: LIMIT_MB, timeoutMs: 20_000, warn: () => {} });
    expect(pool.bounds.memory).toBe('cgroup');
    // 8 MB files (under the 16 MB file-size limit) into /tmp until it refuses, then into
    // /dev/shm. Each tmpfs may hold 256 MB, but the interpreters' own memory counts against
    // the sandbox's 256 MB as well, so the cgroup stops the writer first (at ~230 MB).
    const source = [
      'import sys',
      'written = 0',
      'for place in ("/tmp", "/dev/shm"):',
      '    for i in range(384):',
      '        try:',
      '            with open(f"{place}/fill{i}", "wb") as f:',
      '                f.write(b"x" * (8 << 20))',
      '        except OSError as e:',
      '            print("refused", place, e.errno, flush=True)',
      '            break',
      '        written += 8',
      '        print("written", written, flush=True)',
      'print("all 3 GB written")',
    ].join('\n');
    const { result, before, lowest } = await watched(pool, source);
    const out = result.runs[0]?.stdout ?? '';
    const written = Math.max(0, ...[...out.matchAll(/^written (\d+)$/gm)].map((m) => Number(m[1])));
    expect(result.verdict.correct).toBe(false);
    expect(out).not.toContain('all 3 GB written');
    expect(result.usage?.oomKills).toBeGreaterThan(0);
    expect(written).toBeGreaterThanOrEqual(LIMIT_MB / 2); // it did fill memory, up to the limit
    expect(written).toBeLessThan(LIMIT_MB + 16);
    expect(result.usage?.peakBytes ?? 0).toBeLessThanOrEqual(LIMIT_MB * MB);
    expect(lowest, `MemAvailable fell from ${before / MB | 0} MB to ${lowest / MB | 0} MB`).toBeGreaterThan(before - FLOOR_MARGIN);
  });

  it('stops a program whose many processes each allocate memory at the limit', async () => {
    pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, memoryMb: LIMIT_MB, processes: 64, timeoutMs: 20_000, warn: () => {} });
    // 24 children of 150 MB each (3.5 GB together), each under the per-process address-space
    // limit, all alive at once: only the sandbox's total stops them.
    const source = [
      'import os, time',
      'for i in range(24):',
      '    if os.fork() == 0:',
      '        block = b"x" * (150 << 20)',
      '        print("allocated", i, flush=True)',
      '        time.sleep(30)',
      '        os._exit(0)',
      'time.sleep(3)',
      'print("all alive", flush=True)',
    ].join('\n');
    const { result, before, lowest } = await watched(pool, source);
    expect(result.verdict.correct).toBe(false);
    expect(result.usage?.oomKills).toBeGreaterThan(0);
    expect(result.usage?.peakBytes ?? 0).toBeLessThanOrEqual(LIMIT_MB * MB);
    expect(lowest, `MemAvailable fell from ${before / MB | 0} MB to ${lowest / MB | 0} MB`).toBeGreaterThan(before - FLOOR_MARGIN);
  });
});

describe.skipIf(!sandbox)('a sandbox that cannot start is an error, not a wrong answer', () => {
  const add: CodeTask = { kind: 'mbpp', testList: ['assert add(1, 2) == 3'], testSetupCode: '', testImports: [], entryPoints: ['add'] };

  it('rejects when the interpreter is missing', async () => {
    pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, python: '/usr/bin/python3-missing', warn: () => {} });
    const outcome = pool.verify(add, 'def add(a, b):\n    return a + b\n');
    await expect(outcome).rejects.toBeInstanceOf(SandboxSetupError);
    await expect(outcome).rejects.toThrow(/failed to start .*python3-missing/s);
  });

  it.skipIf(!cgroups)('rejects when the memory limit leaves no room for the judge', async () => {
    pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, memoryMb: 2, warn: () => {} });
    await expect(pool.verify(add, 'def add(a, b):\n    return a + b\n')).rejects.toThrow(/failed to start/);
  });

  it('rejects when the temporary directory is unusable (--unsafe-no-sandbox)', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/passk';
    try {
      pool = createCodePool({ sandbox: 'none', concurrency: 1, warn: () => {} });
      await expect(pool.verify(add, 'def add(a, b):\n    return a + b\n')).rejects.toThrow(/cannot prepare the sandbox: .*ENOENT/);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

describe.skipIf(!sandbox || !cgroups)('cgroups', () => {
  it('are removed after each sandbox, and the pool leaves none behind', async () => {
    const ours = () => plan.hierarchies.flatMap((h) => readdirSync(h.base).filter((n) => n.startsWith(`passk-${process.pid}-`)).map((n) => join(h.base, n)));
    pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, warn: () => {} });
    const dirs = ours();
    expect(dirs).toHaveLength(plan.hierarchies.length);
    for (const n of [1, 2, 3]) await pool.verify(script, `print(${n})`);
    // Three sandboxes used and gone once their processes are reaped, just after each verdict;
    // the one left is the spare the pool keeps started for its next task.
    const sandboxes = () => dirs.map((dir) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name));
    for (let i = 0; i < 100 && sandboxes().some((names) => names.length > 1); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sandboxes()).toEqual(dirs.map(() => ['s3']));
    await pool.close();
    pool = null;
    expect(ours()).toEqual([]);
  });
});
