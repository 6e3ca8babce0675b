import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CodeTask } from '../src/core/verify/code/code-task.ts';
import { bwrapWorks, createCodePool } from '../workers/verify/code/index.ts';
import { launchCommand, sandboxFeatures } from '../workers/verify/code/sandbox-command.ts';
import { RIGHT, WRONG, type Attempt } from './fooling-programs.ts';

const sandbox = bwrapWorks();
if (!sandbox) console.warn('skipping judge tests: bubblewrap or /usr/bin/python3 is missing, or bwrap cannot create namespaces here (apt-get install bubblewrap python3)');

/** The program the old runner ran: everything in one interpreter, exit status 0 = pass. */
function oneProgram(task: CodeTask, completion: string): string {
  if (task.kind === 'humaneval') return `${task.prompt}${completion}\n\n${task.test}\n\ncheck(${task.entryPoint})\n`;
  if (task.kind === 'mbpp') return [...task.testImports, task.testSetupCode, completion, '', ...task.testList, ''].join('\n');
  throw new Error('stdio tasks compare output');
}

/** Runs `program` as the old runner did (same sandbox, without the judge) and says whether it exited 0. */
function exitStatusRunner(program: string): 'passed' | 'failed' {
  const [command, args] = launchCommand({ ...sandboxFeatures()!, seccomp: null }, 64 << 20, [], ['/usr/bin/python3', '-I', '-c', program]);
  return spawnSync(command, args, { stdio: 'ignore', env: {}, timeout: 10_000 }).status === 0 ? 'passed' : 'failed';
}

describe.skipIf(!sandbox)('the judge', () => {
  it('scores every completion that tries to pass without being right as wrong, and the right ones correct', async () => {
    const pool = createCodePool({ sandbox: 'bwrap', concurrency: 2, timeoutMs: 5000, warn: () => {} });
    const judge = (list: Attempt[]) => Promise.all(list.map((a) => pool.verify(a.task, a.completion)));
    const [wrong, right] = await Promise.all([judge(WRONG), judge(RIGHT)]);
    await pool.close();
    expect(WRONG.flatMap((a, i) => (wrong[i].correct ? [`${a.name}: ${wrong[i].reason}`] : []))).toEqual([]);
    expect(RIGHT.flatMap((a, i) => (right[i].correct ? [] : [`${a.name}: ${right[i].reason}`]))).toEqual([]);
    // The reasons say what happened rather than only "wrong".
    const reason = (name: string) => wrong[WRONG.findIndex((a) => a.name === name)].reason;
    expect(reason('he: os._exit(0) in the body')).toBe('the completion process ended during add() (exit status 0)');
    expect(reason('he: returns an object equal to anything')).toBe('add() returned an object of class Anything, which is not plain data');
    expect(reason('he: main guard sys.exit(main())')).toBe('assertion failed at test line 2: assert candidate(2, 3) == 5');
  });

  it('faces attempts that do fool a runner trusting the exit status', () => {
    // Guards the list above against attempts that are merely wrong: each fools (or not) the
    // old runner as recorded, so the judge is what scores them wrong.
    const scored = WRONG.filter((a) => a.exitStatusRunner).map((a) => [a.name, exitStatusRunner(oneProgram(a.task, a.completion))]);
    expect(Object.fromEntries(scored)).toEqual(Object.fromEntries(WRONG.filter((a) => a.exitStatusRunner).map((a) => [a.name, a.exitStatusRunner])));
    expect(scored.filter(([, v]) => v === 'passed').length).toBeGreaterThanOrEqual(20);
  });
});

// What of any environment a completion can see: its own and every readable /proc/PID/environ.
const ENVIRON_PROBE = String.raw`
import glob, os
print('environ', ' '.join(sorted(os.environ)))
seen = b''
for path in glob.glob('/proc/*/environ'):
    try:
        seen += open(path, 'rb').read() + b'\0'
    except OSError:
        pass
print('visible', ' '.join(sorted({kv.split(b'=')[0].decode() for kv in seen.split(b'\0') if kv})))
print('all', seen.replace(b'\0', b' ').decode(errors='replace'))
`;

// Everything a completion could try on the judge (its parent) and the host.
const PROBE = String.raw`
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
parent = os.getppid()
def attempt(name, fn):
    try:
        fn()
        print(name, 'ALLOWED')
    except OSError as e:
        print(name, 'denied', e.errno)
def check(r):
    if r == -1:
        raise OSError(ctypes.get_errno(), '')
attempt('ptrace-attach-judge', lambda: check(libc.ptrace(16, parent, 0, 0)))
attempt('ptrace-traceme', lambda: check(libc.ptrace(0, 0, 0, 0)))
attempt('unshare-user', lambda: check(libc.unshare(0x10000000)))
attempt('judge-mem', lambda: open(f'/proc/{parent}/mem', 'rb').read(1))
attempt('judge-fd', lambda: os.listdir(f'/proc/{parent}/fd'))
attempt('judge-environ', lambda: open(f'/proc/{parent}/environ', 'rb').read())
attempt('write-root', lambda: open('/planted', 'w'))
print('seccomp', [l.split()[1] for l in open('/proc/self/status') if l.startswith('Seccomp:')][0])
` + ENVIRON_PROBE;

describe.skipIf(!sandbox)('inside the sandbox', () => {
  it('the judge cannot be traced or read, nothing of the host environment is visible, and seccomp holds', async () => {
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    process.env.PASSK_TEST_CANARY = canary;
    try {
      const probe: CodeTask = { kind: 'stdio', tests: [{ input: '', output: '' }] };
      const pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, warn: () => {} });
      const { runs } = await pool.run(probe, PROBE);
      await pool.close();
      const out = runs[0]?.stdout ?? '';
      expect(runs[0]?.exitCode, runs[0]?.stderrTail).toBe(0);
      for (const name of ['ptrace-attach-judge', 'ptrace-traceme', 'unshare-user']) expect(out).toContain(`${name} denied 1\n`); // EPERM
      for (const name of ['judge-mem', 'judge-fd', 'judge-environ']) expect(out).toContain(`${name} denied 13\n`); // EACCES
      expect(out).toContain('write-root denied 30\n'); // EROFS
      expect(out).toContain('seccomp 2\n');
      expect(out).toContain('environ HOME LANG PATH\n');
      // bubblewrap's init shows its own empty environment; PWD is what bwrap sets in the judge's.
      expect(/^visible (.*)$/m.exec(out)?.[1].split(' ').filter((n) => !['HOME', 'LANG', 'PATH', 'PWD', ''].includes(n))).toEqual([]);
      expect(out).not.toContain(canary);
      expect(out).not.toContain('PASSK_TEST_CANARY');

      // The same probe, started in the same sandbox the way the old runner started it (bwrap
      // inheriting this process's environment), does find the canary: its silence above is
      // the clean environment's doing.
      const [command, args] = launchCommand({ ...sandboxFeatures()!, seccomp: null }, 64 << 20, [], ['/usr/bin/python3', '-I', '-c', ENVIRON_PROBE]);
      expect(spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 }).stdout).toContain(canary);
    } finally {
      delete process.env.PASSK_TEST_CANARY;
    }
  });

  it('a completion in call mode sees only PATH, HOME and LANG, and cannot reach the judge', async () => {
    const task: CodeTask = {
      kind: 'humaneval',
      prompt: 'def escapes() -> list:\n    """The ways out that worked."""\n',
      test: 'def check(candidate):\n    found = candidate()\n    assert found == [], found\n',
      entryPoint: 'escapes',
    };
    const completion = [
      '    import os, glob',
      '    found = [k for k in os.environ if k not in ("PATH", "HOME", "LANG")]',
      '    for path in glob.glob("/proc/*/environ") + glob.glob(f"/proc/{os.getppid()}/fd/*"):',
      '        try:',
      '            data = open(path, "rb").read()',
      '        except OSError:',
      '            continue',
      '        if b"PASSK_TEST_CANARY" in data or "/fd/" in path:',
      '            found.append(path)',
      '    return found',
      '',
    ].join('\n');
    process.env.PASSK_TEST_CANARY = 'x';
    try {
      const pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, warn: () => {} });
      expect(await pool.verify(task, completion)).toEqual({ correct: true, extracted: 'passed', reason: 'passed the tests' });
      await pool.close();
    } finally {
      delete process.env.PASSK_TEST_CANARY;
    }
  });

  it("the completion's process holds nothing of the tests, also when the job was already waiting at its fork", async () => {
    // The completion scans its own writable memory for a marker that only the test contains,
    // looking for it XOR-ed so that its own source never holds the marker itself, and for a
    // control string of its own source, which must be found: the scan works.
    const marker = `marker-${randomBytes(8).toString('hex')}`;
    const control = `control-${randomBytes(8).toString('hex')}`;
    const flipped = (text: string) => Buffer.from([...Buffer.from(text)].map((b) => b ^ 0x5a)).toString('hex');
    const task: CodeTask = {
      kind: 'humaneval',
      prompt: 'def scan() -> list:\n    """Occurrences of the two needles in this process\'s writable memory."""\n',
      test: `def check(candidate):\n    found = candidate()\n    assert found[0] == 0 and found[1] > 0, (found, "${marker}")\n`,
      entryPoint: 'scan',
    };
    const completion = [
      `    keep = "${control}"`,
      `    needles = [bytes.fromhex("${flipped(marker)}"), bytes.fromhex("${flipped(control)}")]`,
      '    table = bytes(b ^ 0x5a for b in range(256))',
      '    found = [0, 0]',
      "    with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:",
      '        for line in maps.read().splitlines():',
      '            span, perms = line.split()[:2]',
      "            if not perms.startswith('rw'):",
      '                continue',
      "            start, end = (int(x, 16) for x in span.split('-'))",
      '            try:',
      '                mem.seek(start)',
      '                chunk = mem.read(end - start).translate(table)',
      '            except (OSError, ValueError, OverflowError):',
      '                continue',
      '            for i, needle in enumerate(needles):',
      '                found[i] += chunk.count(needle)',
      '    return found',
      '',
    ].join('\n');
    // A new pool has no sandbox started ahead: this one gets its job as soon as it starts.
    const pool = createCodePool({ sandbox: 'bwrap', concurrency: 1, warn: () => {} });
    expect(await pool.verify(task, completion)).toEqual({ correct: true, extracted: 'passed', reason: 'passed the tests' });
    // The same scan finds the marker once the completion's own source holds it: it would see the test's.
    const own: CodeTask = { ...task, test: 'def check(candidate):\n    assert candidate()[0] > 0\n' };
    expect(await pool.verify(own, `    extra = "${marker}"\n${completion}`)).toMatchObject({ correct: true });
    await pool.close();
  });
});
