/**
 * `npx tsx bench/verify-code.ts [--baseline REF] [--trusting] [--reps 3] [--concurrency 2]`:
 * canonical HumanEval solutions judged per second of wall time by this tree's code pool and,
 * with --baseline, by the pool of commit REF (its workers/verify/code and src/core/verify,
 * unpacked under .scratch/), and with --trusting by a runner that trusts the exit status (the
 * whole program in one interpreter in the same bubblewrap sandbox, exit 0 = pass, as before
 * issue 16: the least any sandboxed judge can cost), in alternating rounds on the same
 * machine, medians and ratios printed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

const REPO = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    trusting: { type: 'boolean', default: false },
    reps: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '2' },
    humaneval: { type: 'string', default: join(REPO, 'resources', 'benchmarks', 'HumanEval.jsonl.gz') },
  },
});
const reps = Number(values.reps);
const concurrency = Number(values.concurrency);

interface Pool {
  verify(task: unknown, completion: string): Promise<{ correct: boolean; reason: string }>;
  close(): Promise<void>;
}
interface PoolModule {
  createCodePool(options: { sandbox: 'bwrap'; concurrency: number; timeoutMs: number }): Pool;
}
interface TaskModule {
  toCodeTask(record: unknown): { ok: true; value: unknown } | { ok: false; error: string };
}

const records = gunzipSync(readFileSync(values.humaneval!)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);

/** The pool and task parser of a checkout rooted at `root`. */
async function load(root: string): Promise<{ pool: PoolModule; tasks: TaskModule }> {
  return {
    pool: (await import(pathToFileURL(join(root, 'workers/verify/code/index.ts')).href)) as PoolModule,
    tasks: (await import(pathToFileURL(join(root, 'src/core/verify/code/code-task.ts')).href)) as TaskModule,
  };
}

interface CommandModule {
  sandboxFeatures(): object | null;
  launchCommand(f: object | null, tmpfsBytes: number, cgroupProcs: string[], inner: string[]): [string, string[]];
}

/** The runner that trusts the exit status: prompt + completion + test + check() in one sandboxed interpreter. */
async function trustingRound(): Promise<{ perSecond: number; correct: number }> {
  const commands = (await import(pathToFileURL(join(REPO, 'workers/verify/code/sandbox-command.ts')).href)) as CommandModule;
  const features = { ...commands.sandboxFeatures(), seccomp: null };
  const run = (r: Record<string, string>) => new Promise<boolean>((resolve) => {
    const program = `${r.prompt}${r.canonical_solution}\n\n${r.test}\n\ncheck(${r.entry_point})\n`;
    const [command, args] = commands.launchCommand(features, 64 << 20, [], ['/usr/bin/python3', '-I', '-c', program]);
    const child = spawn(command, args, { stdio: 'ignore', env: {} });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code) => { clearTimeout(timer); resolve(code === 0); });
  });
  const started = performance.now();
  let next = 0;
  let correct = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < records.length) if (await run(records[next++])) correct++;
  }));
  return { perSecond: records.length / ((performance.now() - started) / 1000), correct };
}

async function round(impl: { pool: PoolModule; tasks: TaskModule }): Promise<{ perSecond: number; correct: number }> {
  const tasks = records.map((r) => {
    const t = impl.tasks.toCodeTask(r);
    if (!t.ok) throw new Error(t.error);
    return t.value;
  });
  const pool = impl.pool.createCodePool({ sandbox: 'bwrap', concurrency, timeoutMs: 10_000 });
  const started = performance.now();
  const verdicts = await Promise.all(records.map((r, i) => pool.verify(tasks[i], r.canonical_solution)));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { perSecond: records.length / seconds, correct: verdicts.filter((v) => v.correct).length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let baselineDir: string | null = null;
const impls: { name: string; impl: { pool: PoolModule; tasks: TaskModule } | 'trusting' }[] = [];
try {
  if (values.baseline) {
    mkdirSync(join(REPO, '.scratch'), { recursive: true });
    // Inside the repository, so the old files resolve node_modules as the tree's do.
    baselineDir = mkdtempSync(join(REPO, '.scratch', 'baseline-'));
    const archive = execFileSync('git', ['-C', REPO, 'archive', values.baseline, 'workers/verify/code', 'src/core/verify'], { maxBuffer: 64 << 20 });
    execFileSync('tar', ['-x', '-C', baselineDir], { input: archive });
    impls.push({ name: `baseline ${values.baseline}`, impl: await load(baselineDir) });
  }
  impls.push({ name: 'this tree', impl: await load(REPO) });
  if (values.trusting) impls.push({ name: 'trusting exit status', impl: 'trusting' });

  console.log(`HumanEval canonical, ${records.length} tasks, pool of ${concurrency}, ${reps} alternating rounds; load average ${loadavg()[0].toFixed(2)}`);
  const rates = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const { name, impl } of impls) {
      const r = impl === 'trusting' ? await trustingRound() : await round(impl);
      rates.get(name)!.push(r.perSecond);
      console.log(`  round ${rep + 1} ${name.padEnd(24)} ${r.perSecond.toFixed(1).padStart(6)} /s  (${r.correct}/${records.length} passed)`);
    }
  }
  for (const [name, xs] of rates) console.log(`median ${name.padEnd(24)} ${median(xs).toFixed(1).padStart(6)} verifications/s`);
  // Each round's runs went back to back, so a round's ratio is the one least moved by other load on the machine.
  const now = rates.get('this tree')!;
  for (const [name, other] of rates) {
    if (name === 'this tree') continue;
    const slowdowns = other.map((b, i) => b / now[i]);
    console.log(`slowdown (${name} / this tree): median of medians ${(median(other) / median(now)).toFixed(2)}x, median of the rounds' ratios ${median(slowdowns).toFixed(2)}x (${slowdowns.map((x) => x.toFixed(2)).join(', ')})`);
  }
} finally {
  if (baselineDir) rmSync(baselineDir, { recursive: true, force: true });
}
