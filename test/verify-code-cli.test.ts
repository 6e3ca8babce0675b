import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { planCgroups } from '../workers/verify/code/cgroups.ts';

// MIT-licensed, part of the repository (resources/benchmarks/README.md).
const HUMANEVAL = join(process.cwd(), 'resources/benchmarks/HumanEval.jsonl.gz');
const codeVerifier = existsSync(join(process.cwd(), 'workers/verify/code/index.ts'));
const bwrap = spawnSync('sh', ['-c', 'command -v bwrap']).status === 0;
const python = existsSync('/usr/bin/python3');
const ready = codeVerifier && bwrap && python;
if (!ready) {
  console.warn(`skipping passk verify --kind code in the sandbox: needs workers/verify/code, bubblewrap and /usr/bin/python3 (apt-get install bubblewrap python3) (have: ${codeVerifier}, ${bwrap}, ${python})`);
}
if (!python) console.warn('skipping passk verify --kind code interrupted: it runs Debian\'s /usr/bin/python3 (apt-get install python3)');

const dir = mkdtempSync(join(tmpdir(), 'passk-verify-code-'));
const cgroupBases = planCgroups().hierarchies.map((h) => h.base);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!ready)('passk verify --kind code (separate process, bubblewrap)', () => {
  it('canonical HumanEval solutions pass and `pass` bodies fail, in input order', () => {
    const tasks = gunzipSync(readFileSync(HUMANEVAL)).toString('utf8').trim().split('\n').slice(0, 8).map((l) => JSON.parse(l) as Record<string, string>);
    const lines = tasks.flatMap((task) => [
      { task, completion: task.canonical_solution },
      { task, completion: '    pass\n' },
    ]);
    const input = join(dir, 'code.jsonl');
    writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = spawnSync(process.execPath, ['bin/passk.js', 'verify', '--kind', 'code', '--input', input, '--concurrency', '2', '--json'], { encoding: 'utf8' });
    expect(r.stderr).toContain('"summary"');
    expect(r.status).toBe(0);
    const verdicts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { correct: boolean });
    expect(verdicts.map((v) => v.correct)).toEqual(lines.map((_, i) => i % 2 === 0));
    console.info(`code: ${(JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}') as { summary?: { perSecond?: number } }).summary?.perSecond?.toFixed(1)} verifications/s`);
  });
});

const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawn(process.execPath, ['bin/passk.js', 'verify', '--kind', 'code', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
const exited = (child: ChildProcess) => new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
// One completion that sleeps, so the test can interrupt the CLI while its sandbox runs.
function slowInput(): string {
  const input = join(dir, `slow-${Math.random().toString(36).slice(2)}.jsonl`);
  const task = { task_id: 1, test_list: ['assert nap() is None'] };
  writeFileSync(input, JSON.stringify({ task, completion: 'import time\ntime.sleep(60)\ndef nap():\n    return None\n' }) + '\n');
  return input;
}

describe.skipIf(!codeVerifier || !python)('passk verify --kind code when things go wrong', () => {
  it('removes its temporary directories when interrupted (SIGINT, --unsafe-no-sandbox)', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const child = cli(['--input', slowInput(), '--unsafe-no-sandbox'], { ...process.env, TMPDIR: tmp });
    const done = exited(child);
    await until('the sandbox directory', () => readdirSync(tmp).some((n) => n.startsWith('passk-code-')));
    child.kill('SIGINT');
    expect(await done).toEqual({ code: null, signal: 'SIGINT' });
    // tsx keeps its cache there too (tsx-0); nothing of ours may stay.
    expect(readdirSync(tmp).filter((n) => n.startsWith('passk-'))).toEqual([]);
  });

  it.skipIf(!bwrap || !cgroupBases.length)('removes its cgroups when terminated (SIGTERM)', async () => {
    const child = cli(['--input', slowInput()]);
    const done = exited(child);
    const ours = () => cgroupBases.flatMap((base) => readdirSync(base).filter((n) => n.startsWith(`passk-${child.pid}-`)).map((n) => join(base, n)));
    await until('the sandbox cgroup', () => ours().some((d) => existsSync(join(d, 's0'))));
    child.kill('SIGTERM');
    expect(await done).toEqual({ code: null, signal: 'SIGTERM' });
    expect(ours()).toEqual([]);
  });
});
