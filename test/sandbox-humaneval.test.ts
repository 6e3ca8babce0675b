import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toCodeTask, type CodeTask } from '../src/core/verify/code/code-task.ts';
import { bwrapWorks, createCodePool } from '../workers/verify/code/index.ts';

// MIT-licensed, part of the repository (resources/benchmarks/README.md).
const HUMANEVAL = join(process.cwd(), 'resources/benchmarks/HumanEval.jsonl.gz');
const sandbox = bwrapWorks();
if (!sandbox) console.warn('skipping sandbox tests: bubblewrap or /usr/bin/python3 is missing, or bwrap cannot create namespaces here (apt-get install bubblewrap python3)');

const task = (record: unknown): CodeTask => {
  const parsed = toCodeTask(record);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

describe.skipIf(!sandbox)('HumanEval in the bubblewrap sandbox', () => {
  it('passes all 164 canonical solutions and fails every body replaced by pass', async () => {
    const records = gunzipSync(readFileSync(HUMANEVAL)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(records).toHaveLength(164);
    const pool = createCodePool({ sandbox: 'bwrap', concurrency: 2, timeoutMs: 10_000 });
    const started = performance.now();
    const [good, empty] = await Promise.all([
      Promise.all(records.map((r) => pool.verify(task(r), r.canonical_solution))),
      Promise.all(records.map((r) => pool.verify(task(r), '    pass\n'))),
    ]);
    const seconds = (performance.now() - started) / 1000;
    console.info(`HumanEval: ${2 * records.length} code verifications in ${seconds.toFixed(1)} s = ${((2 * records.length) / seconds).toFixed(1)}/s (pool of 2)`);
    expect(good.filter((v) => !v.correct).map((v, i) => `${records[i].task_id}: ${v.reason}`)).toEqual([]);
    expect(empty.filter((v) => v.correct).length).toBe(0);
  });
});

describe.skipIf(!sandbox)('hostile programs are contained', () => {
  // Each is the completion of a stdio task: a script the sandbox runs as __main__.
  const script = (): CodeTask => ({ kind: 'stdio', tests: [{ input: '', output: 'unreachable' }] });
  // Re-executes itself with a marker in its command line, so leftovers are visible to pgrep.
  const marked = (marker: string, body: string) => `import os\nos.execv('/usr/bin/python3', ['python3', '-c', ${JSON.stringify(body)}, '${marker}'])`;

  it('fail or time out, and leave the host unchanged', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'passk-host-'));
    const secret = join(outside, 'secret.txt');
    writeFileSync(secret, 'host secret');
    mkdirSync(join(outside, 'victim'));
    writeFileSync(join(outside, 'victim', 'keep.txt'), 'keep');
    const marker = `passk_marker_${process.pid}`;
    const programs: Record<string, string> = {
      'rm -rf': `import shutil, os\nshutil.rmtree(${JSON.stringify(join(outside, 'victim'))})\nos.system('rm -rf / 2>/dev/null')\nassert os.path.exists(${JSON.stringify(join(outside, 'victim'))}), 'deleted'`,
      sleep: marked(marker, 'import time\ntime.sleep(1000)'),
      input: 'input()',
      'fork bomb': marked(marker, 'import os\nwhile True:\n    os.fork()'),
      'memory bomb': 'x = bytearray(8 * 1024 ** 3)',
      'endless output': 'while True:\n    print("y" * 4096)',
      network: 'import socket\nsocket.create_connection(("127.0.0.1", 22), timeout=1)',
      'outside address': 'import socket\nsocket.create_connection(("192.0.2.1", 80), timeout=1)',
      'read home': `print(open(${JSON.stringify(secret)}).read())\nprint(open('/root/.profile').read())`,
      'write outside': `open(${JSON.stringify(join(process.cwd(), 'PWNED'))}, 'w').write('x')\nopen(${JSON.stringify(join(outside, 'PWNED'))}, 'w').write('x')`,
    };
    const pool = createCodePool({ sandbox: 'bwrap', concurrency: 2, timeoutMs: 3000, memoryMb: 512 });
    const verdicts = await Promise.all(Object.values(programs).map((source) => pool.verify(script(), source)));
    await pool.close();
    const byName = Object.fromEntries(Object.keys(programs).map((name, i) => [name, verdicts[i]]));
    for (const [name, verdict] of Object.entries(byName)) expect(verdict.correct, `${name}: ${verdict.reason}`).toBe(false);
    expect(byName.sleep.reason).toMatch(/timeout/);
    expect(byName['endless output'].reason).toMatch(/output over/);
    expect(byName['read home'].extracted).not.toContain('host secret');

    expect(readFileSync(secret, 'utf8')).toBe('host secret');
    expect(readFileSync(join(outside, 'victim', 'keep.txt'), 'utf8')).toBe('keep');
    expect(existsSync(join(process.cwd(), 'PWNED'))).toBe(false);
    expect(existsSync(join(outside, 'PWNED'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(spawnSync('pgrep', ['-f', marker]).stdout.toString()).toBe('');
    rmSync(outside, { recursive: true, force: true });
  });
});

describe.skipIf(!sandbox)('the sandbox process limit', () => {
  it('stops a program forking past the limit at once, also when the host user is root', async () => {
    // Children sleep, so every fork counts against the limit; the parent reports how far it got.
    const source = 'import os, time\nn = 0\ntry:\n    while n < 1000:\n        if os.fork() == 0:\n            time.sleep(3)\n            os._exit(0)\n        n += 1\nexcept OSError as e:\n    print("stopped", n, e.errno)\n';
    const pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, timeoutMs: 5000, processes: 16 });
    const started = performance.now();
    const { runs } = await pool.run({ kind: 'stdio', tests: [{ input: '', output: '' }] }, source);
    await pool.close();
    expect(runs[0]?.timedOut).toBe(false);
    const m = /^stopped (\d+) 11$/m.exec(runs[0]?.stdout ?? '');
    expect(m, `stdout ${JSON.stringify(runs[0]?.stdout)} stderr ${JSON.stringify(runs[0]?.stderrTail.slice(-300))}`).not.toBeNull();
    // 16 for the sandbox: its init, the judge and the program are three of them.
    expect(Number(m![1])).toBeLessThan(14);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe.skipIf(!sandbox)('MBPP and stdio tasks in the sandbox', () => {
  it('judges asserts and per-test stdout, naming the failing test', async () => {
    const pool = createCodePool({ sandbox: 'bwrap', concurrency: 2, timeoutMs: 5000 });
    const mbpp = task({ task_id: 1, test_list: ['assert add(2, 3) == 5', 'assert add(-1, 1) == 0'] });
    expect(await pool.verify(mbpp, 'def add(a, b):\n    return a + b')).toMatchObject({ correct: true });
    expect(await pool.verify(mbpp, 'def add(a, b):\n    return a - b')).toMatchObject({ correct: false, reason: 'assertion failed at test line 1: assert add(2, 3) == 5' });
    const stdio = task({ public_test_cases: [{ input: '2\n', output: '4\n' }, { input: '5\n', output: '25\n' }] });
    expect(await pool.verify(stdio, 'n = int(input())\nprint(n * n)')).toMatchObject({ correct: true, reason: 'passed all 2 tests' });
    expect(await pool.verify(stdio, 'n = int(input())\nprint(n + n)')).toMatchObject({ correct: false, reason: 'test 2/2: wrong output' });
  });
});
